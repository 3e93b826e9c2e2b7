import { translate, type Locale, type MessageKey } from "../i18n/messages";
import type { Trigger } from "../loyalty/notifications.server";

/**
 * Turns a template (subject and a plain-text body with {placeholders}; blank lines separate
 * paragraphs) into an email's subject, HTML and plain text. Pure, so the admin's live preview and
 * the sender render the same thing.
 */

export interface Template {
  subject: string;
  body: string;
}

export interface EmailLinks {
  /** The button: the shop, through the click-tracking redirect when sending. */
  cta: string;
  unsubscribe: string | null;
  /** The open-tracking pixel, when sending. */
  pixel: string | null;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export function defaultTemplate(locale: Locale, trigger: Trigger): Template {
  return {
    subject: translate(locale, `mail.${trigger}.subject` as MessageKey),
    body: translate(locale, `mail.${trigger}.body` as MessageKey),
  };
}

/** The placeholders each trigger's data provides (plus the ones every message has). */
export const COMMON_PLACEHOLDERS = ["firstName", "shop", "balance", "tier"] as const;
export const TRIGGER_PLACEHOLDERS: Record<Trigger, string[]> = {
  welcome: ["points"],
  points_earned: ["points", "order"],
  tier_unlocked: [],
  tier_lost: ["lostTier", "needed", "threshold"],
  so_close: ["missing", "target"],
  spend_points: ["reward"],
  thanks_for_redeeming: ["points", "reward", "code"],
  points_expiring: ["points", "date"],
  happy_birthday: ["gift"],
  we_miss_you: [],
  milestone: ["milestone"],
};

export function fill(template: string, values: Record<string, string | number | null | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined || value === null ? whole : String(value);
  });
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

export function renderEmail(locale: Locale, template: Template, values: Record<string, string | number | null>, links: EmailLinks): RenderedEmail {
  const subject = fill(template.subject, values).replace(/[\r\n]+/g, " ").trim();
  const paragraphs = fill(template.body, values).split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const shop = String(values.shop ?? "");
  const cta = translate(locale, "mail.cta", { shop });
  const footer = translate(locale, "mail.footer", { shop });
  const unsubscribe = translate(locale, "mail.unsubscribe");
  const text = [
    ...paragraphs,
    `${cta}: ${links.cta}`,
    "--",
    footer,
    ...(links.unsubscribe ? [`${unsubscribe}: ${links.unsubscribe}`] : []),
  ].join("\n\n");
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:Helvetica,Arial,sans-serif;color:#1f2937">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:28px">
${paragraphs.map((p) => `<p style="margin:0 0 16px;line-height:1.5;font-size:16px">${escapeHtml(p).replace(/\n/g, "<br>")}</p>`).join("\n")}
<p style="margin:24px 0"><a href="${escapeHtml(links.cta)}" style="display:inline-block;background:#111827;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;font-weight:bold">${escapeHtml(cta)}</a></p>
</div>
<p style="max-width:560px;margin:16px auto 0;font-size:12px;color:#6b7280;line-height:1.5">${escapeHtml(footer)}${
    links.unsubscribe ? `<br><a href="${escapeHtml(links.unsubscribe)}" style="color:#6b7280">${escapeHtml(unsubscribe)}</a>` : ""
  }</p>
${links.pixel ? `<img src="${escapeHtml(links.pixel)}" width="1" height="1" alt="" style="display:block;border:0">` : ""}
</body></html>`;
  return { subject, html, text };
}
