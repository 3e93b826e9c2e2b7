/**
 * Small SVG charts drawn by hand: no charting dependency to install or keep in step with React and
 * Polaris, fixed dimensions (no layout shift) and Polaris' colour tokens. Every chart is shown with
 * its numbers beside it, so the figures stay readable without hovering.
 */
export interface Series {
  label: string;
  color: string;
  values: number[];
}

export function GroupedBarChart({ labels, series, height = 200, title }: { labels: string[]; series: Series[]; height?: number; title: string }) {
  const width = 640;
  const pad = { top: 10, right: 8, bottom: 24, left: 48 };
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const groupW = plotW / Math.max(1, labels.length);
  const barW = Math.max(1, (groupW * 0.8) / series.length);
  const ticks = [0, 0.5, 1].map((f) => Math.round(max * f));
  const every = Math.ceil(labels.length / 6);
  return (
    <svg role="img" aria-label={title} viewBox={`0 0 ${width} ${height}`} width="100%" height={height} preserveAspectRatio="none" style={{ display: "block" }}>
      {ticks.map((tick) => {
        const y = pad.top + plotH - (tick / max) * plotH;
        return (
          <g key={tick}>
            <line x1={pad.left} x2={width - pad.right} y1={y} y2={y} stroke="var(--p-color-border-secondary)" strokeWidth={1} />
            <text x={pad.left - 6} y={y + 4} textAnchor="end" fontSize={11} fill="var(--p-color-text-secondary)">{compact(tick)}</text>
          </g>
        );
      })}
      {labels.map((label, i) => (
        <g key={label + i}>
          {series.map((s, j) => {
            const h = (s.values[i] / max) * plotH;
            return <rect key={s.label} x={pad.left + i * groupW + groupW * 0.1 + j * barW} y={pad.top + plotH - h} width={barW} height={h} fill={s.color} rx={1} />;
          })}
          {i % every === 0 ? (
            <text x={pad.left + i * groupW + groupW / 2} y={height - 6} textAnchor="middle" fontSize={11} fill="var(--p-color-text-secondary)">{label}</text>
          ) : null}
        </g>
      ))}
    </svg>
  );
}

export function HorizontalBars({ rows, color, format }: { rows: { label: string; value: number }[]; color: string; format: (n: number) => string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <div style={{ display: "grid", gridTemplateColumns: "minmax(80px, max-content) 1fr minmax(56px, max-content)", gap: "8px 12px", alignItems: "center" }}>
      {rows.map((r) => (
        <div key={r.label} style={{ display: "contents" }}>
          <span>{r.label}</span>
          <div aria-hidden style={{ height: 10, borderRadius: 3, background: "var(--p-color-bg-surface-secondary)", overflow: "hidden" }}>
            <div style={{ width: `${(r.value / max) * 100}%`, height: "100%", background: color, borderRadius: 3 }} />
          </div>
          <span style={{ textAlign: "right", fontVariantNumeric: "tabular-nums" }}>{format(r.value)}</span>
        </div>
      ))}
    </div>
  );
}

export function Legend({ series }: { series: Pick<Series, "label" | "color">[] }) {
  return (
    <div style={{ display: "flex", gap: 16, flexWrap: "wrap" }}>
      {series.map((s) => (
        <span key={s.label} style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
          <span style={{ width: 10, height: 10, borderRadius: 2, background: s.color, display: "inline-block" }} />
          {s.label}
        </span>
      ))}
    </div>
  );
}

function compact(n: number) {
  return n >= 1_000_000 ? `${Math.round(n / 100_000) / 10}M` : n >= 1000 ? `${Math.round(n / 100) / 10}k` : String(n);
}
