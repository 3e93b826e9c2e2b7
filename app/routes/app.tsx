import { data as dataWithHeaders, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useNavigation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Box, Button, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisCs from "@shopify/polaris/locales/cs.json";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisPl from "@shopify/polaris/locales/pl.json";
import { requireAdmin } from "../admin/auth.server";
import { adminLocale } from "../admin/locale.server";
import { ToastHost, type AdminLayoutData } from "../admin/ui/admin-context";
import { translate, type MessageKey } from "../i18n/messages";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const admin = await requireAdmin(request, context);
  // Shopify opens the app with ?locale=<the staff member's language>; the demo takes ?locale=pl.
  const { locale, setCookie } = adminLocale(request);
  const layout: AdminLayoutData = { apiKey: process.env.SHOPIFY_API_KEY || "", locale, demo: admin.demo, shop: admin.shop };
  return dataWithHeaders(layout, setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined);
};

const POLARIS = { en: polarisEn, pl: polarisPl, cs: polarisCs };

export const NAV: { to: string; label: MessageKey }[] = [
  { to: "/app/members", label: "admin.nav.members" },
  { to: "/app/rules", label: "admin.nav.rules" },
  { to: "/app/tiers", label: "admin.nav.tiers" },
  { to: "/app/rewards", label: "admin.nav.rewards" },
  { to: "/app/import", label: "admin.nav.import" },
  { to: "/app/messages", label: "admin.nav.messages" },
  { to: "/app/woocommerce", label: "admin.nav.woocommerce" },
  { to: "/app/onboarding", label: "admin.nav.onboarding" },
];

/** The demo admin has no Shopify frame around it, so it draws its own navigation. */
function DemoNav({ locale }: { locale: AdminLayoutData["locale"] }) {
  const navigation = useNavigation();
  const { pathname } = useLocation();
  const items = [{ to: "/app", label: "admin.nav.dashboard" as MessageKey }, ...NAV];
  return (
    <Box background="bg-surface" borderBlockEndWidth="025" borderColor="border" paddingInline="400" paddingBlockStart="200">
      <InlineStack gap="200" blockAlign="center" wrap>
        <Box paddingInlineEnd="200"><Text as="span" variant="headingMd">Tierwise</Text></Box>
        {items.map((item) => {
          const current = item.to === "/app" ? pathname === "/app" : pathname.startsWith(item.to);
          return (
            <Button key={item.to} url={item.to} variant="tertiary" pressed={current}>{translate(locale, item.label)}</Button>
          );
        })}
        <Text as="span" tone="subdued" variant="bodySm">{translate(locale, "admin.demo.badge")}</Text>
      </InlineStack>
      <div style={{ height: 4, marginTop: 8 }} aria-hidden={navigation.state === "idle"}>
        {navigation.state !== "idle" ? <ProgressBar progress={60} size="small" animated /> : null}
      </div>
    </Box>
  );
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  const t = (key: MessageKey) => translate(data.locale, key);
  return (
    <AppProvider isEmbeddedApp={!data.demo} apiKey={data.apiKey} i18n={POLARIS[data.locale]}>
      {data.demo ? null : (
        <NavMenu>
          <Link to="/app" rel="home">{t("admin.nav.dashboard")}</Link>
          {NAV.map((item) => (
            <Link key={item.to} to={item.to}>{t(item.label)}</Link>
          ))}
        </NavMenu>
      )}
      <ToastHost demo={data.demo}>
        {data.demo ? <DemoNav locale={data.locale} /> : null}
        <Outlet />
      </ToastHost>
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
