import { SaveBar } from "@shopify/app-bridge-react";
import { ContextualSaveBar } from "@shopify/polaris";
import { useAdminLayout, useT } from "./admin-context";

/**
 * The save bar of a form: App Bridge's in the Shopify admin, Polaris' contextual save bar in the
 * local demo admin. Shown while the form has unsaved changes.
 */
export function FormSaveBar({ id, dirty, saving, onSave, onDiscard }: { id: string; dirty: boolean; saving: boolean; onSave: () => void; onDiscard: () => void }) {
  const { demo } = useAdminLayout();
  const t = useT();
  if (demo) {
    if (!dirty) return null;
    return (
      <ContextualSaveBar
        message={t("admin.form.unsaved")}
        saveAction={{ content: t("admin.form.save"), onAction: onSave, loading: saving }}
        discardAction={{ content: t("admin.form.discard"), onAction: onDiscard }}
      />
    );
  }
  return (
    <SaveBar id={id} open={dirty}>
      <button variant="primary" onClick={onSave} loading={saving ? "" : undefined}>{t("admin.form.save")}</button>
      <button onClick={onDiscard}>{t("admin.form.discard")}</button>
    </SaveBar>
  );
}
