import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexFilters, IndexTable, Page, Pagination, Text, useSetIndexFiltersMode, Box, InlineStack, ChoiceList } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { requireAdmin, requireShop } from "../admin/auth.server";
import { SEGMENTS, SORTS } from "../admin/constants";
import { listMembers, parseListQuery } from "../admin/members.server";
import { useAdminLayout, useNumber, useT } from "../admin/ui/admin-context";
import db from "../db.server";

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  const query = parseListQuery(new URL(request.url));
  return { query, ...(await listMembers(db, shop.id, query)) };
};

export default function Members() {
  const { members, total, pageCount, tiers, query } = useLoaderData<typeof loader>();
  const t = useT();
  const number = useNumber();
  const { locale } = useAdminLayout();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(query.q);
  const { mode, setMode } = useSetIndexFiltersMode();
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const [downloading, setDownloading] = useState<string | null>(null);
  // Inside the Shopify admin App Bridge adds the session token to this fetch; a plain link would
  // open a tab without one.
  const download = async (url: string) => {
    setDownloading(url);
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(String(response.status));
      const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "tierwise.csv";
      const link = document.createElement("a");
      link.href = URL.createObjectURL(await response.blob());
      link.download = name;
      link.click();
      URL.revokeObjectURL(link.href);
    } finally {
      setDownloading(null);
    }
  };

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) (v ? next.set(k, v) : next.delete(k));
    if (!("page" in changes)) next.delete("page");
    setParams(next, { preventScrollReset: true });
  };
  // Search as the merchant types, without a request per keystroke.
  useEffect(() => {
    if (search === query.q) return;
    const timer = setTimeout(() => update({ q: search }), 300);
    return () => clearTimeout(timer);
  }, [search]); // eslint-disable-line react-hooks/exhaustive-deps

  const segmentTabs = SEGMENTS.map((s, i) => ({ id: s, content: t(`admin.members.segment.${s}`), index: i, onAction: () => update({ segment: s === "all" ? "" : s }), isLocked: true }));
  const sortOptions = SORTS.map((s) => {
    const [field, direction] = s.split("_") as [string, "asc" | "desc"];
    return { label: t(`admin.members.sort.${field}` as "admin.members.sort.balance"), value: `${field} ${direction}` as const, directionLabel: t(`admin.members.direction.${direction}`) };
  });
  const filters = [
    {
      key: "tier",
      label: t("admin.members.tier"),
      filter: (
        <ChoiceList title={t("admin.members.tier")} titleHidden choices={[...tiers.map((x) => ({ label: x.name, value: x.id })), { label: t("admin.tiers.noTier"), value: "none" }]}
          selected={query.tier ? [query.tier] : []} onChange={(v) => update({ tier: v[0] ?? "" })} />
      ),
      shortcut: true,
    },
  ];
  const appliedFilters = query.tier
    ? [{ key: "tier", label: `${t("admin.members.tier")}: ${tiers.find((x) => x.id === query.tier)?.name ?? t("admin.tiers.noTier")}`, onRemove: () => update({ tier: "" }) }]
    : [];
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/members";

  return (
    <Page title={t("admin.members.title")} subtitle={t("admin.members.count", { count: number.format(total) })} secondaryActions={[
        { content: t("admin.members.export"), onAction: () => download("/app/export/members"), loading: downloading === "/app/export/members" },
        { content: t("admin.members.exportLedger"), onAction: () => download("/app/export/ledger"), loading: downloading === "/app/export/ledger" },
      ]}>
      <Card padding="0">
        <IndexFilters
          queryValue={search}
          queryPlaceholder={t("admin.members.search")}
          onQueryChange={setSearch}
          onQueryClear={() => setSearch("")}
          sortOptions={sortOptions}
          sortSelected={[query.sort.replace("_", " ") as `${string} asc`]}
          onSort={(v) => update({ sort: v[0].replace(" ", "_") })}
          tabs={segmentTabs}
          selected={Math.max(0, SEGMENTS.indexOf(query.segment))}
          onSelect={() => {}}
          filters={filters}
          appliedFilters={appliedFilters}
          onClearAll={() => update({ tier: "", q: "" })}
          mode={mode}
          setMode={setMode}
          loading={loading}
          cancelAction={{ onAction: () => setSearch(query.q) }}
          canCreateNewView={false}
        />
        <IndexTable
          resourceName={{ singular: t("admin.members.singular"), plural: t("admin.members.plural") }}
          itemCount={members.length}
          selectable={false}
          loading={loading}
          emptyState={
            <EmptyState heading={t("admin.members.emptyTitle")} image="">
              <p>{t(query.q || query.tier || query.segment !== "all" ? "admin.members.emptyFiltered" : "admin.members.emptyBody")}</p>
            </EmptyState>
          }
          headings={[{ title: t("admin.members.name") }, { title: t("admin.members.email") }, { title: t("admin.members.tier") }, { title: t("admin.members.balance"), alignment: "end" }, { title: t("admin.members.lifetime"), alignment: "end" }, { title: t("admin.members.lastOrder") }]}
        >
          {members.map((m, i) => (
            <IndexTable.Row id={m.id} key={m.id} position={i} onClick={() => navigate(`/app/members/${m.id}`)}>
              <IndexTable.Cell><Text as="span" fontWeight="semibold">{m.name || "—"}</Text></IndexTable.Cell>
              <IndexTable.Cell>{m.email ?? "—"}</IndexTable.Cell>
              <IndexTable.Cell>{m.tier ? <Badge>{m.tier}</Badge> : "—"}</IndexTable.Cell>
              <IndexTable.Cell><Text as="span" alignment="end" numeric tone={m.balance < 0 ? "critical" : undefined}>{number.format(m.balance)}</Text></IndexTable.Cell>
              <IndexTable.Cell><Text as="span" alignment="end" numeric>{number.format(m.lifetimePoints)}</Text></IndexTable.Cell>
              <IndexTable.Cell>{m.lastOrderAt ? date.format(new Date(m.lastOrderAt)) : t("admin.members.never")}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
        <Box padding="300" borderBlockStartWidth="025" borderColor="border">
          <InlineStack align="center">
            <Pagination
              hasPrevious={query.page > 1}
              hasNext={query.page < pageCount}
              onPrevious={() => update({ page: String(query.page - 1) })}
              onNext={() => update({ page: String(query.page + 1) })}
              label={t("admin.pagination.label", { page: number.format(query.page), pages: number.format(pageCount) })}
            />
          </InlineStack>
        </Box>
      </Card>
    </Page>
  );
}
