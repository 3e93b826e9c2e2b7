import { createContext, useCallback, useContext, useState, type ReactNode } from "react";
import { useRouteLoaderData } from "@remix-run/react";
import { Frame, Toast } from "@shopify/polaris";
import { translate, type Locale, type MessageKey } from "../../i18n/messages";

export interface AdminLayoutData {
  apiKey: string;
  locale: Locale;
  demo: boolean;
  shop: string;
}

export function useAdminLayout(): AdminLayoutData {
  const data = useRouteLoaderData("routes/app") as AdminLayoutData | undefined;
  return data ?? { apiKey: "", locale: "en", demo: false, shop: "" };
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function useT(): Translate {
  const { locale } = useAdminLayout();
  return useCallback((key, values) => translate(locale, key, values), [locale]);
}

export function useNumber() {
  const { locale } = useAdminLayout();
  return new Intl.NumberFormat(locale);
}

interface ShopifyGlobal {
  toast?: { show: (message: string, options?: { isError?: boolean }) => void };
}

const ToastContext = createContext<(message: string, isError?: boolean) => void>(() => {});

/**
 * Toasts through App Bridge inside the Shopify admin; in the local demo admin (no App Bridge
 * script) the same messages show as Polaris toasts in a Frame.
 */
export function ToastHost({ demo, children }: { demo: boolean; children: ReactNode }) {
  const [toast, setToast] = useState<{ message: string; isError: boolean; key: number } | null>(null);
  const show = useCallback((message: string, isError = false) => {
    const shopify = (globalThis as { shopify?: ShopifyGlobal }).shopify;
    if (!demo && shopify?.toast) shopify.toast.show(message, { isError });
    else setToast({ message, isError, key: Date.now() });
  }, [demo]);
  const content = <ToastContext.Provider value={show}>{children}</ToastContext.Provider>;
  if (!demo) return content;
  return (
    <Frame>
      {content}
      {toast ? <Toast key={toast.key} content={toast.message} error={toast.isError} onDismiss={() => setToast(null)} /> : null}
    </Frame>
  );
}

export function useToast() {
  return useContext(ToastContext);
}
