import { useActionData, useNavigation, useSubmit } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useAdminLayout, useToast } from "./admin-context";

export type ActionResult = { ok: true; message: string } | { ok: false; errors: Record<string, string>; message?: string };

/**
 * State of an admin form: string values, dirty tracking against what the server last sent, submit
 * with the admin's language (for translated errors) and a fresh request id (so a double submit is
 * applied once), field errors from the action and a toast on success.
 */
export function useAdminForm(initial: Record<string, string>, intent = "save") {
  const [values, setValues] = useState(initial);
  const baseline = useRef(initial);
  const submit = useSubmit();
  const navigation = useNavigation();
  const result = useActionData() as ActionResult | undefined;
  const toast = useToast();
  const { locale } = useAdminLayout();
  const initialKey = JSON.stringify(initial);
  // One id per intended change: a double click or a resubmitted form carries the same id and is
  // applied once; a new id is taken after the server confirmed the change.
  const requestId = useRef<string>("");
  if (!requestId.current) requestId.current = newRequestId();

  useEffect(() => {
    baseline.current = JSON.parse(initialKey);
    setValues(JSON.parse(initialKey));
  }, [initialKey]);

  useEffect(() => {
    if (!result) return;
    if (result.ok) {
      requestId.current = newRequestId();
      if (result.message) toast(result.message);
    }
    else toast(result.message ?? Object.values(result.errors)[0] ?? "", true);
  }, [result, toast]);

  const dirty = useMemo(() => JSON.stringify(values) !== JSON.stringify(baseline.current), [values]);
  const set = useCallback((name: string) => (value: string | boolean) => {
    setValues((v) => ({ ...v, [name]: typeof value === "boolean" ? (value ? "on" : "") : value }));
  }, []);
  const save = useCallback(() => {
    submit({ ...values, _intent: intent, _locale: locale, _requestId: requestId.current }, { method: "post" });
  }, [submit, values, intent, locale]);
  const discard = useCallback(() => setValues(baseline.current), []);
  const errors = result && !result.ok ? result.errors : {};
  return { values, set, setValues, dirty, save, discard, errors, saving: navigation.state === "submitting" };
}

function newRequestId() {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
