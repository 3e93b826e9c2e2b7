import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, DataTable, DropZone, InlineStack, Layout, List, Page, ProgressBar, Select, Text } from "@shopify/polaris";
import { useCallback, useEffect, useRef, useState } from "react";
import { requireAdmin, requireShop } from "../admin/auth.server";
import { IMPORT_CHUNK, MAX_IMPORT_BYTES, type ImportRow, type RowError } from "../admin/constants";
import { chunkSchema, importRows, previewImport } from "../admin/import.server";
import { actionLocale } from "../admin/locale.server";
import { useAdminLayout, useNumber, useT } from "../admin/ui/admin-context";
import db from "../db.server";
import { translate } from "../i18n/messages";

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  return { members: await db.member.count({ where: { shopId: shop.id } }) };
};

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const admin = await requireAdmin(request, context);
  const shop = await requireShop(admin);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_IMPORT_BYTES * 2) {
    return data({ ok: false as const, error: translate("en", "admin.import.errors.tooLarge") }, { status: 413 });
  }
  const form = await request.formData();
  const locale = actionLocale(request, form);
  const intent = form.get("_intent");
  if (intent === "preview") {
    const csv = form.get("csv");
    if (typeof csv !== "string" || csv.length === 0) return data({ ok: false as const, error: translate(locale, "admin.import.errors.empty") }, { status: 422 });
    if (csv.length > MAX_IMPORT_BYTES) return data({ ok: false as const, error: translate(locale, "admin.import.errors.tooLarge") }, { status: 413 });
    const preview = await previewImport(db, shop.id, csv, locale);
    return preview.ok ? preview : data(preview, { status: 422 });
  }
  if (intent === "import") {
    let body: unknown;
    try {
      body = JSON.parse(String(form.get("chunk") ?? ""));
    } catch {
      body = null;
    }
    const chunk = chunkSchema.safeParse(body);
    if (!chunk.success) return data({ ok: false as const, error: translate(locale, "admin.errors.invalid") }, { status: 422 });
    return { ok: true as const, results: await importRows(db, shop.domain, admin.staff, chunk.data, locale) };
  }
  return data({ ok: false as const, error: translate(locale, "admin.errors.invalid") }, { status: 400 });
};

type Preview = { ok: true; importId: string; rows: ImportRow[]; errors: RowError[]; total: number } | { ok: false; error: string };
type ChunkResult = { ok: true; results: { row: number; status: string; message?: string }[] } | { ok: false; error: string };

export default function Import() {
  const { members } = useLoaderData<typeof loader>();
  const t = useT();
  const number = useNumber();
  const { locale } = useAdminLayout();
  const previewer = useFetcher<Preview>();
  const importer = useFetcher<ChunkResult>();
  const [fileName, setFileName] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [mode, setMode] = useState<"add" | "set">("add");
  const [progress, setProgress] = useState<{ done: number; total: number; imported: number; unchanged: number; already: number; errors: RowError[] } | null>(null);
  const next = useRef(0);
  const preview = previewer.data;

  const onDrop = useCallback(async (_all: File[], accepted: File[]) => {
    const file = accepted[0];
    setProgress(null);
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) return setFileError(t("admin.import.errors.tooLarge"));
    setFileError(null);
    setFileName(file.name);
    previewer.submit({ _intent: "preview", _locale: locale, csv: await file.text() }, { method: "post" });
  }, [previewer, locale, t]);

  const sendChunk = useCallback((index: number) => {
    if (!preview?.ok) return;
    const rows = preview.rows.slice(index * IMPORT_CHUNK, (index + 1) * IMPORT_CHUNK);
    importer.submit({ _intent: "import", _locale: locale, chunk: JSON.stringify({ importId: preview.importId, mode, rows }) }, { method: "post" });
  }, [preview, importer, mode, locale]);

  const start = () => {
    if (!preview?.ok) return;
    next.current = 0;
    setProgress({ done: 0, total: preview.rows.length, imported: 0, unchanged: 0, already: 0, errors: [] });
    sendChunk(0);
  };

  // Chunks go one after another; each answer moves the progress bar and sends the next.
  useEffect(() => {
    if (importer.state !== "idle" || !importer.data || !progress || !preview?.ok) return;
    const answer = importer.data;
    if (!answer.ok) return;
    const count = (s: string) => answer.results.filter((r) => r.status === s).length;
    const done = progress.done + answer.results.length;
    setProgress({
      done, total: progress.total, imported: progress.imported + count("imported"), unchanged: progress.unchanged + count("unchanged"), already: progress.already + count("already"),
      errors: [...progress.errors, ...answer.results.filter((r) => r.status === "error").map((r) => ({ row: r.row, message: r.message ?? "" }))],
    });
    next.current += 1;
    if (done < progress.total) sendChunk(next.current);
  }, [importer.state, importer.data]); // eslint-disable-line react-hooks/exhaustive-deps

  const running = progress !== null && progress.done < progress.total;
  const allErrors = [...(preview?.ok ? preview.errors : []), ...(progress?.errors ?? [])].sort((a, b) => a.row - b.row);

  return (
    <Page title={t("admin.import.title")} subtitle={t("admin.import.subtitle")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">{t("admin.import.upload")}</Text>
                <DropZone accept=".csv,text/csv" type="file" allowMultiple={false} onDrop={onDrop} label={t("admin.import.file")} labelHidden>
                  <DropZone.FileUpload actionTitle={t("admin.import.choose")} actionHint={fileName ?? t("admin.import.hint")} />
                </DropZone>
                {fileError ? <Banner tone="critical">{fileError}</Banner> : null}
                {previewer.state !== "idle" ? <ProgressBar progress={50} size="small" animated /> : null}
                {preview && !preview.ok ? <Banner tone="critical">{preview.error}</Banner> : null}
              </BlockStack>
            </Card>
            {preview?.ok ? (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">{t("admin.import.preview")}</Text>
                  <Text as="p">{t("admin.import.summary", { valid: number.format(preview.rows.length), invalid: number.format(preview.errors.length), total: number.format(preview.total) })}</Text>
                  <DataTable
                    columnContentTypes={["numeric", "text", "text", "numeric", "text"]}
                    headings={[t("admin.import.row"), t("admin.members.email"), t("admin.import.customerId"), t("admin.members.points"), t("admin.members.tier")]}
                    rows={preview.rows.slice(0, 10).map((r) => [r.row, r.email ?? "—", r.customerId ?? "—", number.format(r.points), r.tier ?? "—"])}
                  />
                  <InlineStack gap="300" blockAlign="end">
                    <Select label={t("admin.import.mode")} value={mode} onChange={(v) => setMode(v as "add" | "set")} disabled={running}
                      options={[{ label: t("admin.import.mode.add"), value: "add" }, { label: t("admin.import.mode.set"), value: "set" }]} />
                    <Button variant="primary" onClick={start} loading={running} disabled={running || preview.rows.length === 0 || (progress !== null && !running)}>
                      {t("admin.import.start", { count: number.format(preview.rows.length) })}
                    </Button>
                  </InlineStack>
                  {progress ? (
                    <BlockStack gap="200">
                      <ProgressBar progress={progress.total ? Math.round((progress.done / progress.total) * 100) : 100} tone="primary" />
                      <Text as="p">{t("admin.import.progress", { done: number.format(progress.done), total: number.format(progress.total), imported: number.format(progress.imported), unchanged: number.format(progress.unchanged + progress.already) })}</Text>
                    </BlockStack>
                  ) : null}
                  {importer.data && !importer.data.ok ? <Banner tone="critical">{importer.data.error}</Banner> : null}
                </BlockStack>
              </Card>
            ) : null}
            {allErrors.length ? (
              <Card padding="0">
                <Box padding="400"><Text as="h2" variant="headingMd">{t("admin.import.errorsTitle", { count: number.format(allErrors.length) })}</Text></Box>
                <DataTable columnContentTypes={["numeric", "text"]} headings={[t("admin.import.row"), t("admin.import.problem")]} rows={allErrors.slice(0, 200).map((e) => [e.row, e.message])} />
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">{t("admin.import.formatTitle")}</Text>
              <List>
                <List.Item>{t("admin.import.formatEmail")}</List.Item>
                <List.Item>{t("admin.import.formatPoints")}</List.Item>
                <List.Item>{t("admin.import.formatOptional")}</List.Item>
                <List.Item>{t("admin.import.formatOnce")}</List.Item>
              </List>
              <Text as="p" tone="subdued">{t("admin.import.currentMembers", { count: number.format(members) })}</Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
