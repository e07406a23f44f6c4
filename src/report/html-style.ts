/** The report's stylesheet: inline, no web fonts; prints with colours kept. */
export const REPORT_CSS = `
:root { --ok: #1a7f37; --ok-bg: #d8f5df; --bad: #b42318; --bad-bg: #fde0de; --warn: #9a6700; --muted: #666; --line: #ddd; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1b1b1b; background: #fff;
  max-width: 1180px; margin: 24px auto; padding: 0 18px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 2px solid #222; padding-bottom: 3px; }
h3 { font-size: 15px; margin: 18px 0 8px; } h4 { font-size: 14px; margin: 0 0 6px; text-transform: capitalize; }
.muted, .subtitle { color: var(--muted); }
.warning { color: var(--warn); font-weight: 600; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { flex: 1 1 220px; border: 1px solid var(--line); border-left: 6px solid #999; border-radius: 4px; padding: 10px 14px; }
.card.good { border-left-color: var(--ok); } .card.bad { border-left-color: var(--bad); }
.card .name { font-weight: 600; } .card .values { font-size: 22px; font-variant-numeric: tabular-nums; }
.card .change { font-size: 18px; font-weight: 600; } .card.good .change { color: var(--ok); } .card.bad .change { color: var(--bad); }
.card .help, .card .held { color: var(--muted); font-size: 12px; }
.card.neutral .change { color: var(--muted); font-size: 14px; font-weight: 400; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { padding: 4px 9px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th { border-bottom: 2px solid #444; font-weight: 600; } th[title] { text-decoration: underline dotted; cursor: help; }
th.text, td.text { text-align: left; } tbody tr:nth-child(even) { background: #f6f6f6; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 14px; align-items: start; }
svg.chart { max-width: 100%; height: auto; border: 1px solid #e4e4e4; border-radius: 4px; display: block; }
.pair { border: 1px solid var(--line); border-radius: 6px; margin: 14px 0; break-inside: avoid; page-break-inside: avoid; }
.pair header { background: #f1f1f1; padding: 5px 12px; font-size: 12px; color: #333; border-bottom: 1px solid var(--line); }
.pair-body { display: grid; grid-template-columns: 210px 1fr; gap: 14px; padding: 12px; }
.prompt .question { font-weight: 600; margin: 8px 0 0; }
img.pixelated { image-rendering: crisp-edges; image-rendering: pixelated; border: 1px solid #ccc; display: block; }
.no-image { width: 192px; height: 192px; border: 1px dashed #bbb; color: var(--muted); display: flex; align-items: center; justify-content: center; font-size: 12px; }
.answers { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.answer { border-top: 4px solid #999; padding-top: 6px; } .answer.chosen { border-top-color: var(--ok); } .answer.rejected { border-top-color: var(--bad); }
.answer h4 .muted { text-transform: none; font-weight: 400; }
.answer .text { margin: 0 0 8px; }
mark { border-radius: 2px; padding: 0 1px; color: inherit; }
mark.accepted { background: var(--ok-bg); } mark.rejected { background: var(--bad-bg); }
mark.disagree { outline: 2px dashed var(--warn); outline-offset: 1px; }
ul.claims { list-style: none; padding: 0; margin: 0; font-size: 13px; }
li.claim { padding: 3px 6px; margin: 3px 0; border-radius: 3px; border-left: 4px solid; }
li.claim.accepted { background: var(--ok-bg); border-left-color: var(--ok); } li.claim.rejected { background: var(--bad-bg); border-left-color: var(--bad); }
li.claim.disagree { outline: 2px dashed var(--warn); outline-offset: -2px; }
li.claim .icon { font-weight: 700; } li.claim.accepted .icon { color: var(--ok); } li.claim.rejected .icon { color: var(--bad); }
li.claim .p { color: var(--muted); font-size: 12px; white-space: nowrap; }
li.claim .q { color: var(--muted); font-size: 12px; }
.badge { color: var(--warn); font-weight: 600; font-size: 12px; white-space: nowrap; }
.key mark { margin-right: 8px; }
details pre { background: #f6f6f6; padding: 10px; overflow-x: auto; font-size: 12px; }
footer { margin: 30px 0 10px; color: var(--muted); font-size: 12px; }
@media (max-width: 760px) { .pair-body, .answers { grid-template-columns: 1fr; } }
@media print {
  body { max-width: none; margin: 0; font-size: 12px; }
  .charts { grid-template-columns: 1fr 1fr; }
  h2 { break-after: avoid; } svg.chart { break-inside: avoid; }
  details > pre { display: none; }
}
`;
