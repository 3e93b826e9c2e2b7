// The Tierwise storefront widget: vanilla TypeScript, no framework, built into
// extensions/tierwise-theme/assets/tierwise-widget.js (scripts/build-widget.mjs). It enhances every
// element with `data-tierwise-root` that the theme extension (or the WooCommerce plugin) rendered;
// the contract is described in extensions/tierwise-theme/README.md.
import type { MemberStatus, ProgramSummary, StorefrontStatus } from "../loyalty/status.server";
import { h, textOn, transparent } from "./dom";
import { fill, formatter, type Strings } from "./format";

interface RedeemAnswer {
  redemption?: { status: "PENDING" | "ISSUED" | "USED" | "FAILED" | "EXPIRED"; code: string | null; expiresAt: string };
  message?: string;
}

function init(root: HTMLElement) {
  if (root.dataset.twReady) return;
  root.dataset.twReady = "1";
  const data = root.dataset;
  const S: Strings = { ...(root.querySelector<HTMLElement>("[data-tierwise-strings]")?.dataset as Strings) };
  for (const name in data) if (name.startsWith("o") && name.length > 1 && data[name]) S[name.slice(1).toLowerCase()] = data[name]!;
  const locale = data.locale || "en";
  const fmt = formatter(locale, S);
  const shown = (section: string) => data.sections === undefined || data.sections.split(" ").includes(section);
  const query = `?customer=${encodeURIComponent(data.customer ?? "")}&locale=${encodeURIComponent(locale)}`;
  const body = root.querySelector<HTMLElement>("[data-tierwise-body]")!;
  adoptThemeColors(root);

  let issued: { code: string; expiresAt: string } | null = null;
  let notice = "";
  let loaded = false;

  async function load() {
    loaded = true;
    try {
      const response = await fetch(`${data.endpoint}/status${query}`, { headers: { Accept: "application/json" } });
      const status = (await response.json()) as StorefrontStatus & { message?: string };
      if (!response.ok) throw new Error(status.message);
      show(status);
    } catch (error) {
      body.replaceChildren(h("p", { class: "tw-alert", role: "alert" }, (error as Error).message || S.error));
      loaded = false;
    }
  }

  function show(status: StorefrontStatus) {
    const program = status.program;
    if (!program.active) {
      root.hidden = true;
      return;
    }
    body.replaceChildren(...(status.member ? memberView(status.member, program) : guestView(program, status.viewer === "customer")));
  }

  const money = (minor: number, program: ProgramSummary) => fmt.money(minor, program.currency, program.currencyDecimals);
  const amountOf = (value: number, program: ProgramSummary) => (program.tierBasis === "SPEND" ? money(value, program) : fmt.points(value));

  // Views are two or three columns (.tw-col) that sit side by side in a wide block and stack in the
  // launcher's panel, so the reserved height holds the essentials without scrolling.
  function memberView(m: MemberStatus, program: ProgramSummary): Node[] {
    const nodes: Node[] = [
      h(
        "div",
        { class: "tw-top" },
        h("p", null, h("span", { class: "tw-label" }, S.balance), h("strong", { class: "tw-balance" }, fmt.points(m.balance))),
        m.tier && h("span", { class: "tw-badge" }, fill(S.tier, { tier: m.tier.name })),
      ),
    ];
    const next = m.nextTier;
    if (shown("progress")) {
      if (next) {
        const text = fill(program.tierBasis === "SPEND" ? S.away_spend : S.away_points, {
          tier: next.name,
          points: fmt.points(next.remaining),
          amount: money(next.remaining, program),
        });
        const floor = program.tiers.find((t) => t.id === m.tier?.id)?.threshold ?? 0;
        nodes.push(
          h("p", { class: "tw-away" }, text),
          h(
            "div",
            {
              class: "tw-bar",
              role: "progressbar",
              "aria-label": fill(S.progress, { tier: next.name }),
              "aria-valuemin": floor,
              "aria-valuemax": next.threshold,
              "aria-valuenow": Math.min(next.threshold, Math.max(floor, m.qualifying.amount)),
              "aria-valuetext": text,
            },
            h("span", { style: `width:${next.progressPercent}%` }),
          ),
        );
      } else nodes.push(h("p", { class: "tw-away" }, S.top_tier));
    }
    if (next && shown("perks")) {
      const perks = [...(next.multiplierPercent > 100 ? [fill(S.multiplier, { x: fmt.number(next.multiplierPercent / 100) })] : []), ...next.perks];
      if (perks.length) nodes.push(h("h3", null, fill(S.perks, { tier: next.name })), h("ul", { class: "tw-list" }, perks.map((p) => h("li", null, p))));
    }
    if (m.expiring && shown("expiring")) {
      nodes.push(h("p", { class: "tw-warn" }, fill(S.expiring, { date: fmt.date(m.expiring.at), points: fmt.points(m.expiring.points) })));
    }
    const actions: Node[] = [];
    if (shown("rewards")) {
      actions.push(h("h3", null, S.rewards));
      if (issued) actions.push(codeBox(issued));
      if (notice) actions.push(h("p", { class: "tw-warn", role: "status" }, notice));
      actions.push(
        m.rewards.length
          ? h("ul", { class: "tw-list tw-rewards" }, m.rewards.map((r) => rewardRow(r)))
          : h("p", { class: "tw-muted" }, S.no_rewards),
      );
    }
    const codes = m.codes.filter((c) => c.code !== issued?.code);
    if (codes.length && shown("codes")) {
      actions.push(
        h("h3", null, S.codes),
        h("ul", { class: "tw-list" }, codes.map((c) => h("li", null, h("code", null, c.code), ` ${c.reward} · ${fill(S.valid_until, { date: fmt.date(c.expiresAt) })}`))),
      );
    }
    if (m.referralUrl) actions.push(h("p", null, h("a", { href: m.referralUrl }, S.referral)));
    return [h("div", { class: "tw-col" }, nodes), h("div", { class: "tw-col" }, actions)];
  }

  function rewardRow(reward: MemberStatus["rewards"][number]) {
    const button = h("button", { type: "button", class: "tw-btn" }, S.redeem) as HTMLButtonElement;
    let input: HTMLInputElement | null = null;
    const cost = h("small", null, reward.pointsPerUnit > 0 ? `${fmt.number(reward.minPoints)}–${fmt.points(reward.maxAffordable)}` : fmt.points(reward.pointsCost));
    if (reward.pointsPerUnit > 0) {
      input = h("input", {
        type: "number",
        min: reward.minPoints,
        max: reward.maxAffordable,
        step: reward.pointsPerUnit,
        value: reward.minPoints,
        "aria-label": `${S.use_points}: ${reward.name}`,
      }) as HTMLInputElement;
    }
    // One request id per intended redemption: a double click or a retry after a network error
    // sends the same id, and the app redeems it once.
    let requestId = "";
    button.addEventListener("click", async () => {
      if (button.disabled) return;
      button.disabled = true;
      button.textContent = S.redeeming;
      requestId ||= newRequestId();
      const points = input ? Number(input.value) : undefined;
      let answer: RedeemAnswer = {};
      try {
        const response = await fetch(`${data.endpoint}/redeem${query}`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ rewardId: reward.id, requestId, ...(points ? { points } : {}) }),
        });
        answer = await response.json();
        if (response.status < 500) requestId = "";
      } catch {
        answer = { message: S.error };
      }
      const redemption = answer.redemption;
      if (redemption && redemption.status !== "FAILED") {
        // The points are spent. The code shows at once, or (Shopify slow) once it is issued.
        issued = redemption.code ? { code: redemption.code, expiresAt: redemption.expiresAt } : null;
        notice = redemption.code ? "" : answer.message || "";
        await load();
        if (issued) body.querySelector<HTMLElement>(".tw-code button")?.focus();
        else setTimeout(load, 5000);
        return;
      }
      button.disabled = false;
      button.textContent = S.redeem;
      row.querySelector(".tw-alert")?.remove();
      row.append(h("p", { class: "tw-alert", role: "alert" }, answer.message || S.error));
    });
    const row = h("li", null, h("span", null, reward.name, reward.minimumTier && h("em", null, fill(S.min_tier, { tier: reward.minimumTier })), cost), input, button);
    return row;
  }

  function codeBox(code: { code: string; expiresAt: string }) {
    const copy = h("button", { type: "button", class: "tw-btn" }, S.copy);
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(code.code);
      } catch {
        getSelection()?.selectAllChildren(box.querySelector("code")!);
      }
      copy.textContent = S.copied;
    });
    const box = h(
      "div",
      { class: "tw-code", role: "status" },
      h("span", { class: "tw-label" }, S.code),
      h("code", null, code.code),
      copy,
      h("small", null, fill(S.valid_until, { date: fmt.date(code.expiresAt) })),
    );
    return box;
  }

  function guestView(program: ProgramSummary, signedIn: boolean): Node[] {
    const ways = [
      program.earn && fill(S.earn, { points: fmt.points(program.earn.points), amount: money(program.earn.spendMinor, program) }),
      program.signupPoints && fill(S.signup, { points: fmt.points(program.signupPoints) }),
      program.birthdayPoints && fill(S.birthday, { points: fmt.points(program.birthdayPoints) }),
    ].filter(Boolean) as string[];
    const columns: Node[] = [
      h(
        "div",
        { class: "tw-col" },
        h("p", null, signedIn ? S.setting_up : S.guest_intro),
        h("ul", { class: "tw-list" }, ways.map((w) => h("li", null, w))),
        !signedIn &&
          h(
            "p",
            { class: "tw-actions" },
            h("a", { class: "tw-btn", href: data.registerUrl || "/account/register" }, S.join),
            h("a", { href: data.loginUrl || "/account/login" }, S.sign_in),
          ),
      ),
    ];
    if (program.tiers.length > 1) {
      columns.push(
        h(
          "div",
          { class: "tw-col" },
          h("h3", null, S.tiers),
          h(
            "ul",
            { class: "tw-list" },
            program.tiers.map((t) =>
              h("li", null, fill(program.tierBasis === "SPEND" ? S.tier_spend : S.tier_points, { tier: t.name, points: amountOf(t.threshold, program), amount: amountOf(t.threshold, program) })),
            ),
          ),
        ),
      );
    }
    if (program.rewards.length) {
      columns.push(
        h(
          "div",
          { class: "tw-col" },
          h("h3", null, S.offers),
          h("ul", { class: "tw-list" }, program.rewards.map((r) => h("li", null, `${r.name} · ${fmt.points(r.pointsCost)}`, r.minimumTier && h("em", null, fill(S.min_tier, { tier: r.minimumTier }))))),
        ),
      );
    }
    return columns;
  }

  if (data.mode === "embed") {
    const launcher = root.querySelector<HTMLButtonElement>(".tw-launch")!;
    const panel = root.querySelector<HTMLElement>(".tw-panel")!;
    const toggle = (open: boolean) => {
      panel.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      if (open) {
        panel.focus();
        if (!loaded) load();
      } else launcher.focus();
    };
    launcher.addEventListener("click", () => toggle(panel.hidden));
    root.querySelector(".tw-close")?.addEventListener("click", () => toggle(false));
    root.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !panel.hidden) toggle(false);
    });
  } else load();
}

function newRequestId() {
  return typeof crypto.randomUUID === "function"
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Without merchant colours the widget takes the theme's: its button colour and page background. */
function adoptThemeColors(root: HTMLElement) {
  const style = root.style;
  if (!style.getPropertyValue("--tw-accent")) {
    const probe = document.querySelector(".button, .btn, button[type=submit]");
    const color = probe ? getComputedStyle(probe).backgroundColor : "";
    if (!transparent(color)) style.setProperty("--tw-accent", color);
  }
  // Resolve whatever colour syntax the accent uses to rgb() through a computed property.
  style.outlineColor = "var(--tw-accent, #222)";
  style.setProperty("--tw-on-accent", textOn(getComputedStyle(root).outlineColor));
  style.outlineColor = "";
  const page = getComputedStyle(document.body).backgroundColor;
  if (!transparent(page)) style.setProperty("--tw-page", page);
}

function start() {
  document.querySelectorAll<HTMLElement>("[data-tierwise-root]").forEach(init);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
