// End-to-end: the served app in headless Chromium, driven as an agent would.
// E2E_URL names the served app (scripts/test.sh starts it). Screenshots go to screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const url = process.env.E2E_URL ?? "http://127.0.0.1:8080/";
const shots = new URL("./screenshots/", import.meta.url).pathname;
mkdirSync(shots, { recursive: true });
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => { await browser?.close(); });

// A fresh browser context (empty storage) with the app open.
async function open(width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.locator("#sale-price").waitFor();
  return { page, errors, context };
}

const textIs = (page, selector, text) =>
  page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent === t, [selector, text]);

test("the default retail quote shows a price, its breakdown and the picture", async () => {
  const { page, errors, context } = await open();
  // China Post, 0.35 kg to the US: 0.35 x 95 + 9 = 42.25 CNY; (36 + 42.25) / 7.10 / 0.69 -> $15.98.
  assert.equal(await page.locator("#sale-price").textContent(), "$15.98");
  assert.equal(await page.locator("#breakdown tbody tr").count(), 5); // purchase, shipping, two fees, profit
  assert.ok((await page.locator("#breakdown-chart rect").count()) >= 4);
  await page.screenshot({ path: shots + "01-retail-default.png", fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a B2C price to Brazil shows reais and the instalment line", async () => {
  const { page, errors, context } = await open();
  await page.selectOption("#country", "BR");
  // China Post to BR: 0.35 x 120 + 14 = 56.00 CNY; (36 + 56) / 1.30 / 0.69 = 102.5641; on rounded
  // lines 102.57 leaves 20.51 < 20.514, so R$ 102,58; 102.58 / 12 = 8.548 -> 12x de R$ 8,55.
  await textIs(page, "#sale-price", "R$\u00a0102,58");
  assert.equal(await page.locator("#instalments").textContent(), "12x de R$\u00a08,55 sem juros");
  await page.screenshot({ path: shots + "02-retail-brazil-instalments.png", fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("B2B 500 units CIF with the tier table", async () => {
  const { page, errors, context } = await open();
  await page.click("#tab-wholesale");
  // Rebate 9.00, fees 2,500 / 500 = 5.00: (113 - 9 + 5) / 7.085 = 15.3846 USD; freight 3.00;
  // CIF = 18.3846 / (1 - 10% - 0.5% - 110% x 0.8%) = 20.7455 -> 20.75.
  await textIs(page, "#w-price", "20.75 USD");
  const rows = page.locator("#tier-table tbody tr");
  assert.equal(await rows.count(), 4);
  // The quote is the 500-999 tier's price, marked in the table; the others are priced
  // from it (1000-4999: x 0.95 / 0.97 = 20.3222 -> 20.33), each against its own cost: at
  // 100 pieces the 1,500 USD freight is 15 a piece, and the 4% floor sets 35.14.
  const price = (i) => rows.nth(i).locator("td").nth(1).textContent();
  assert.deepEqual([await price(0), await price(1), await price(2)],
    ["35.14 USD", "20.75 USD", "20.33 USD"]);
  assert.equal(await rows.nth(1).getAttribute("class"), "quoted");
  assert.equal(await page.locator("#tier-table tr.quoted").count(), 1);
  // The chart: a bar per tier (the tallest the 100-499 price) and the margin line.
  const bars = page.locator("#tier-chart rect.tier-bar");
  assert.equal(await bars.count(), 4);
  assert.equal(await bars.nth(0).getAttribute("height"), "100.00");
  assert.equal(await page.locator("#tier-chart polyline.tier-margin").count(), 1);
  // The carton spec: 500 / 20 = 25 cartons of 12.5 kg and 60 x 40 x 35 cm (0.084 m3);
  // 28 / 0.084 = 333 fill a 20GP.
  await textIs(page, "#w-packing-summary", "25 cartons × 20 pcs · G.W. 312.5 kg · 2.1 CBM");
  assert.equal(await page.locator("#w-fill tbody tr").nth(0).locator("td").nth(1).textContent(), "333");
  // 80 USD per freight ton: 2.1 FT (M) = 168.00 USD replaces the typed 1,500:
  // (15.3846 + 168 / 500) / 0.8862 = 17.7394 -> 17.74.
  await page.fill("#w-wm-rate", "80");
  await textIs(page, "#w-price", "17.74 USD");
  assert.equal(await page.locator("#w-wm-freight").textContent(),
    "Ocean freight (W/M): 2.1 freight tons (M) = 168.00 USD");
  await page.fill("#w-wm-rate", "");
  await textIs(page, "#w-price", "20.75 USD");
  await page.selectOption("#w-term", "FOB");
  await page.fill("#w-commission", "3");
  // FOBC3 = 15.3846 / (1 - 10% - 0.5% - 3%) = 15.3846 / 0.865 = 17.7857 -> 17.79.
  await textIs(page, "#w-price", "17.79 USD");
  await page.screenshot({ path: shots + "03-wholesale-tiers.png", fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a reload keeps everything, and switching to 中文 is remembered", async () => {
  const { page, errors, context } = await open();
  await page.fill("#cost", "71.00");
  // (71 + 42.25) / 7.10 / 0.69 = 23.1169; 23.11 leaves 4.62 < 4.622, so $23.12.
  await textIs(page, "#sale-price", "$23.12");
  await page.click("#lang");
  await page.waitForFunction(() => document.querySelector("label[for=cost]")?.textContent === "采购成本 (元)");
  await page.reload();
  await page.locator("#sale-price").waitFor();
  assert.equal(await page.inputValue("#cost"), "71.00");
  assert.equal(await page.locator("#sale-price").textContent(), "$23.12");
  assert.equal(await page.locator("label[for=cost]").textContent(), "采购成本 (元)");
  // The fixed breakdown lines follow the language; fee names are the profile's own.
  assert.equal(await page.locator("#breakdown tbody tr").first().locator("td").first().textContent(), "采购成本");
  assert.equal(await page.locator("#breakdown tbody tr").last().locator("td").first().textContent(), "利润");
  // So does the note on who pays the destination's taxes.
  assert.equal(await page.locator("#vat-note").textContent(), "买家在 United States 缴纳进口关税和税费; 卖家负责出口");
  await page.screenshot({ path: shots + "04-reloaded-zh.png", fullPage: true });
  // A problem beside its field is said in Chinese too.
  await page.fill("#cost", "abc");
  await textIs(page, "#cost-error", "`abc` 不是数字");
  await page.fill("#cost", "71.00");
  await textIs(page, "#sale-price", "$23.12");
  // The wholesale breakdown's lines, each by its own name.
  await page.click("#tab-wholesale");
  await page.locator("#w-breakdown").waitFor();
  const names = await page.locator("#w-breakdown tbody tr td:first-child").allTextContents();
  assert.deepEqual(names, ["含税采购成本", "出口退税", "国内费用", "国际运费", "保险费", "银行费用", "利润"]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a bad value is reported beside its field at 360 px and the app stays alive", async () => {
  const { page, errors, context } = await open(360);
  await page.fill("#margin", "95");
  await page.waitForFunction(() => document.querySelector("#margin-error")?.textContent.includes("fees and margin take the whole price"));
  await page.fill("#margin", "20");
  await page.locator("#sale-price").waitFor();
  // 3 kg is over ePacket's 2 kg limit: the service field says which limit.
  await page.fill("#weight", "3");
  await page.selectOption("#service", "epacket");
  await page.waitForFunction(() => document.querySelector("#service-error")?.textContent.includes("weight 3 kg is over epacket's limit of 2 kg"));
  await page.screenshot({ path: shots + "05-errors-360.png", fullPage: true });
  await page.selectOption("#service", "cheapest");
  await page.locator("#sale-price").waitFor();
  // No tab is wider than the phone.
  for (const tab of ["#tab-retail", "#tab-wholesale", "#tab-reply", "#tab-sheet", "#tab-settings"]) {
    await page.click(tab);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, tab);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("the keyboard reaches every field", async () => {
  const { page, context } = await open();
  await page.focus("#platform");
  const seen = [];
  for (let i = 0; i < 12; i++) {
    seen.push(await page.evaluate(() => document.activeElement?.id));
    await page.keyboard.press("Tab");
  }
  for (const id of ["platform", "country", "cost", "weight", "service", "margin"]) {
    assert.ok(seen.includes(id), `${id} not reached: ${seen}`);
  }
  await context.close();
});

test("a discount reply in Russian, copied to the clipboard", async () => {
  const { page, errors, context } = await open();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(url).origin });
  await page.selectOption("#country", "RU");
  // Economy air to RU: 0.35 x 62 + 16 = 37.70 CNY; (36 + 37.70) x 11.20 = 825.44 RUB; / 0.69 ->
  // 1 196,29 ₽ (1196.28 leaves 239.25 < 239.256).
  await textIs(page, "#sale-price", "1\u00a0196,29\u00a0₽");
  await page.click("#tab-reply");
  await page.fill("#r-name", "Ольга");
  await page.fill("#r-greeting", "Привет");
  await page.selectOption("#r-channel", "im");
  // 5% off 1196.29 = 1136.4755 -> 1 136,48 ₽.
  const want = "Здравствуйте, Ольга! При заказе от 3 шт. мы можем дать скидку 5%: 1\u00a0136,48\u00a0₽ за штуку.";
  await textIs(page, "#reply-text", want);
  await page.click("#copy");
  await textIs(page, "#copied", "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), want);
  await page.screenshot({ path: shots + "06-reply-russian-copied.png", fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("the wholesale quote prints as a proforma invoice, alone", async () => {
  const { page, errors, context } = await open();
  await page.click("#tab-wholesale");
  await textIs(page, "#w-price", "20.75 USD");
  // 500 x 20.75 = 10,375.00 USD.
  assert.equal(await page.locator("#proforma-total").textContent(), "10375.00 USD");
  await page.fill("#w-buyer", "ACME Trading Ltd");
  await page.fill("#w-valid", "30");
  await textIs(page, "#proforma-buyer", "ACME Trading Ltd");
  // Dated today (UTC); valid 30 days on.
  const day = (d) => d.toISOString().slice(0, 10);
  const now = new Date();
  assert.equal(await page.locator("#proforma-date").textContent(), day(now));
  assert.equal(await page.locator("#proforma-valid").textContent(), day(new Date(now.getTime() + 30 * 86400000)));
  assert.equal(await page.locator("#proforma-terms").textContent(), "CIF · T/T: 30% deposit, 70% before shipment");
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator("#proforma").isVisible(), true);
  assert.equal(await page.locator("#w-quantity").isVisible(), false);
  await page.screenshot({ path: shots + "07-proforma-print.png", fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

// A 1,000-row catalog (row 12 with a bad cost), deterministic.
function catalog() {
  const rows = ["sku,cost_cny,weight_kg,length_cm,width_cm,height_cm"];
  for (let i = 1; i <= 1000; i++) {
    const cost = i === 11 ? "abc" : (5 + (i * 37) % 400 + (i % 100) / 100).toFixed(2);
    const kg = (0.05 + ((i * 13) % 150) / 1000).toFixed(3);
    rows.push(`E2E-${String(i).padStart(4, "0")},${cost},${kg},${10 + i % 10},${8 + i % 8},${2 + i % 5}`);
  }
  return rows.join("\n") + "\n";
}

test("a 1,000-row catalog makes the same sheet as the CLI, downloaded as CSV and XLSX", async () => {
  const { page, errors, context } = await open();
  const text = catalog();
  // The CLI on the same catalog with the sheet tab's settings (the built-in profile).
  const dir = mkdtempSync(join(tmpdir(), "crossquote-e2e-"));
  writeFileSync(join(dir, "catalog.csv"), text);
  writeFileSync(join(dir, "spec.json"), JSON.stringify({
    service: "economy-air", currency: "USD", platform: "aliexpress", quantities: [1, 5, 20],
    tiers: [["B2C", 1, "1.00", "35"], ["B2B1", 2, "1.00", "28"], ["B2B2", 50, "0.97", "22"],
      ["B2B3", 200, "0.94", "18"], ["B2B4", 1000, "0.90", "15"]]
      .map(([name, min_qty, cost_factor, margin]) => ({ name, min_qty, cost_factor, margin })),
  }));
  const bin = process.env.CROSSQUOTE_BIN ?? new URL("../../target/debug/crossquote", import.meta.url).pathname;
  try {
    execFileSync(bin, ["sheet", join(dir, "catalog.csv"), "--spec", join(dir, "spec.json"), "-o", join(dir, "cli.csv")], { stdio: "pipe" });
    assert.fail("the CLI should exit 3 for the rejected row");
  } catch (e) {
    assert.equal(e.status, 3, String(e.stderr));
  }
  await page.click("#tab-sheet");
  await page.fill("#s-quantities", "1, 5, 20");
  await page.setInputFiles("#s-file", { name: "catalog.csv", mimeType: "text/csv", buffer: Buffer.from(text) });
  await page.waitForFunction((t) => document.querySelector("#s-catalog")?.value === t, text);
  await page.click("#s-make");
  await page.locator("#s-summary").waitFor();
  // 999 good rows x 4 zones x 3 quantities.
  assert.match(await page.locator("#s-summary").textContent(), /^1000 rows read · 11988 lines priced · 1 rejected$/);
  const rejected = page.locator("#s-rejected tbody tr");
  assert.equal(await rejected.count(), 1);
  assert.deepEqual(await rejected.locator("td").allTextContents(), ["12", "E2E-0011", "cost: `abc` is not a number"]);
  assert.equal(await page.locator("#s-preview tbody tr").count(), 20);
  await page.click("#s-next");
  await textIs(page, "#s-page", " 2 / 600 ");
  await page.screenshot({ path: shots + "08-price-sheet.png", fullPage: true });
  const download = async (id) => {
    const [d] = await Promise.all([page.waitForEvent("download"), page.click(id)]);
    return readFileSync(await d.path(), "utf8");
  };
  const sheet = await download("#s-download-csv");
  assert.equal(sheet.split("\n").length, 1 + 11988 + 1);
  assert.equal(sheet, readFileSync(join(dir, "cli.csv"), "utf8"));
  assert.equal(await download("#s-download-rejected"), readFileSync(join(dir, "cli.rejected.csv"), "utf8"));
  // The workbook: a zip holding the worksheet (its cells are checked natively, read back).
  const [x] = await Promise.all([page.waitForEvent("download"), page.click("#s-download-xlsx")]);
  assert.equal(x.suggestedFilename(), "price-sheet.xlsx");
  const xlsx = readFileSync(await x.path());
  assert.equal(xlsx.subarray(0, 2).toString("latin1"), "PK");
  assert.ok(xlsx.includes("xl/worksheets/sheet1.xml"));
  assert.ok(xlsx.length > 100000, String(xlsx.length));
  // A second service: the sheet gains a service column and prices each SKU on both.
  await page.check("#s-service-cn-post-registered");
  await page.click("#s-make");
  await page.waitForFunction(() => document.querySelector("#s-preview thead th:nth-child(2)")?.textContent === "service");
  assert.equal(await page.locator("#s-preview tbody tr").first().locator("td").nth(1).textContent(), "cn-post-registered");
  assert.deepEqual(errors, []);
  await context.close();
});

test("settings: ECB rates loaded, used, kept after a reload, then reset to the built-in profile", async () => {
  const { page, errors, context } = await open();
  await page.click("#tab-settings");
  assert.equal(await page.locator("#p-source").textContent(), "Using the built-in sample profile.");
  const ecb = new URL("../golden/ecb/eurofxref-daily.xml", import.meta.url).pathname;
  await page.setInputFiles("#p-ecb", ecb);
  await page.locator("#p-note").waitFor();
  assert.match(await page.locator("#p-note").textContent(), /^2026-11-20: mid rates of USD\/CNY, EUR\/CNY/);
  await page.click("#p-apply");
  await textIs(page, "#p-source", "Using your own profile (kept in this browser).");
  // USD/CNY through EUR: 8.2140 / 1.1550 = 7.111688; bank rates kept.
  const usd = page.locator("#p-rates tbody tr").first().locator("td");
  assert.deepEqual(await usd.allTextContents(), ["USD/CNY", "7.111688", "7.0850", "7.1150"]);
  await page.screenshot({ path: shots + "09-settings-ecb.png", fullPage: true });
  // The retail quote now converts at 7.111688: 78.25 / 7.111688 / 0.69 = 15.9464 -> $15.95.
  await page.click("#tab-retail");
  await textIs(page, "#sale-price", "$15.95");
  await page.reload();
  await textIs(page, "#sale-price", "$15.95");
  // A file that is not a profile is refused with its problems; nothing changes.
  await page.click("#tab-settings");
  await page.setInputFiles("#p-import", { name: "p.json", mimeType: "application/json", buffer: Buffer.from('{"version": 1}') });
  await page.locator("#p-problems li").first().waitFor();
  await page.click("#p-apply");
  assert.equal(await page.locator("#p-source").textContent(), "Using your own profile (kept in this browser).");
  await page.click("#p-reset");
  await textIs(page, "#p-source", "Using the built-in sample profile.");
  await page.click("#tab-retail");
  await textIs(page, "#sale-price", "$15.98");
  assert.deepEqual(errors, []);
  await context.close();
});
