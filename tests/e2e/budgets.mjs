// The browser app's budgets, measured in headless Chromium (run by bench/web-budgets.sh; it
// lives here to use this folder's Playwright). Not a test: node --test does not pick it up.
// Each figure is the median of RUNS fresh page loads; timings are taken inside the page
// (performance.now), so the driver's own latency is not in them.
import { chromium } from "playwright-core";

const url = process.env.URL;
const runs = Number(process.env.RUNS ?? 5);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

// A 10,000-row catalog (one line per SKU: its own zone and quantity).
const rows = ["sku,cost_cny,weight_kg,length_cm,width_cm,height_cm,zone,qty"];
const zones = ["NA", "EU", "BR", "RU"];
for (let i = 1; i <= 10000; i++) {
  rows.push(`B-${i},${(5 + (i * 37) % 400).toFixed(2)},${(0.05 + ((i * 13) % 150) / 1000).toFixed(3)},${10 + i % 10},${8 + i % 8},${2 + i % 5},${zones[i % 4]},${1 + i % 20}`);
}
const catalog = rows.join("\n") + "\n";

// 40 keystrokes into `input` (the values from..from+39), each timed inside the page from
// its input event to the MutationObserver callback that sees `output`'s new text.
const keystrokes = (page, input, output, from) => page.evaluate(async ([input, output, from]) => {
  const field = document.querySelector(input);
  const out = () => document.querySelector(output).textContent;
  const times = [];
  for (let i = 0; i < 40; i++) {
    const before = out();
    // A MutationObserver fires in the microtask right after the text changes.
    const changed = new Promise((resolve) => {
      const seen = new MutationObserver(() => {
        if (out() !== before) { seen.disconnect(); resolve(performance.now()); }
      });
      seen.observe(document.querySelector("main"), { childList: true, subtree: true, characterData: true });
    });
    const t0 = performance.now();
    field.value = (from + i).toFixed(2);
    field.dispatchEvent(new InputEvent("input", { bubbles: true }));
    times.push((await changed) - t0);
  }
  return times;
}, [input, output, from]);

const first = [], keystroke = [], order = [], sheet = [];
for (let run = 0; run < runs; run++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.locator("#sale-price").waitFor();
  first.push(await page.evaluate(() => performance.getEntriesByName("crossquote-first-render")[0].startTime));
  // 40 keystrokes into the first item's cost, each timed from the input event to the new price.
  keystroke.push(...await keystrokes(page, "#item-0-cost", "#sale-price", 40));
  // A 20-line wholesale order (stored as the app keeps it): 40 keystrokes into the first
  // line's cost, each timed to the new order total.
  await page.evaluate(() => {
    const lines = Array.from({ length: 20 }, (_, i) => ({
      sku: `L-${i + 1}`, cost: (20 + i * 7).toFixed(2), quantity: String(200 + i * 50),
      carton_pieces: String(10 + (i % 5) * 10), carton_kg: (8 + i % 7).toFixed(1),
    }));
    localStorage.setItem("crossquote.state", JSON.stringify({ version: 2, tab: "Wholesale", lines }));
  });
  await page.reload();
  await page.locator("#w-total").waitFor();
  if (await page.locator("#proforma-lines tbody tr").count() !== 20) throw new Error("not a 20-line order");
  order.push(...await keystrokes(page, "#line-0-cost", "#w-total", 30));
  await page.click("#tab-sheet");
  await page.setInputFiles("#s-file", { name: "catalog.csv", mimeType: "text/csv", buffer: Buffer.from(catalog) });
  await page.waitForFunction((n) => document.querySelector("#s-catalog")?.value.length === n, catalog.length);
  sheet.push(await page.evaluate(async () => {
    const t0 = performance.now();
    document.querySelector("#s-make").click();
    while (!document.querySelector("#s-summary")) await new Promise((r) => setTimeout(r, 0));
    return performance.now() - t0;
  }));
  const summary = await page.locator("#s-summary").textContent();
  if (!summary.startsWith("10000 rows read · 10000 lines priced")) throw new Error(`unexpected sheet: ${summary}`);
  await context.close();
}
await browser.close();

const kb = Number(process.env.GZIP_BYTES) / 1024;
const line = (name, value, budget, unit) =>
  console.log(`${name.padEnd(34)} ${value.toFixed(1).padStart(8)} ${unit.padEnd(3)} budget ${String(budget).padStart(4)} ${unit.padEnd(3)} ${value <= budget ? "met" : "NOT MET"}`);
line("download (wasm+JS+CSS+HTML, gzip)", kb, 200, "KB");
line("first render (median)", median(first), 300, "ms");
line("keystroke to price (median)", median(keystroke), 8, "ms");
line("keystroke to price (p90)", [...keystroke].sort((a, b) => a - b)[Math.floor(keystroke.length * 0.9)], 8, "ms");
line("keystroke, 20-line order (median)", median(order), 8, "ms");
line("keystroke, 20-line order (p90)", [...order].sort((a, b) => a - b)[Math.floor(order.length * 0.9)], 8, "ms");
line("10,000-SKU sheet (median)", median(sheet), 1000, "ms");
