// End-to-end: the served app in headless Chromium, driven as an agent would.
// E2E_URL names the served app (scripts/test.sh starts it). Screenshots go to screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
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

async function open(width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.locator("#sale-price").waitFor();
  return { page, errors };
}

test("the default quote shows a price and its breakdown", async () => {
  const { page, errors } = await open();
  assert.equal(await page.locator("#sale-price").textContent(), "10.29 USD");
  const rows = await page.locator("#breakdown tbody tr").count();
  assert.equal(rows, 5); // purchase, shipping, commission, payment, profit
  await page.screenshot({ path: shots + "01-default-quote.png", fullPage: true });
  assert.deepEqual(errors, []);
});

test("typing a cost and a currency updates the price", async () => {
  const { page, errors } = await open();
  await page.fill("#cost", "71.00");
  // 85.40 CNY / 7.10 = 12.028169 USD; / (1 - 0.08 - 0.03 - 0.20) = 17.4321 -> 17.43 on rounded lines.
  await assert.doesNotReject(page.waitForFunction(() => document.querySelector("#sale-price")?.textContent === "17.43 USD"));
  await page.selectOption("#currency", "JPY");
  // 71 x 21.50 = 1526.5 -> 1527 and 14.40 x 21.50 = 309.6 -> 310 JPY (exact 1836.10); at 2663 the
  // fees 213 + 80 leave 533 >= 532.6, while 2662 leaves 532 < 532.4.
  await page.waitForFunction(() => document.querySelector("#sale-price")?.textContent === "2663 JPY");
  await page.screenshot({ path: shots + "02-typed-quote-jpy.png", fullPage: true });
  assert.deepEqual(errors, []);
});

test("a bad value is reported beside its field and the app stays alive", async () => {
  const { page, errors } = await open(360);
  await page.fill("#margin", "95");
  await page.waitForFunction(() => document.querySelector("#margin-error")?.textContent.includes("fees and margin take the whole price"));
  await page.fill("#margin", "20");
  await page.waitForFunction(() => document.querySelector("#sale-price")?.textContent === "10.29 USD");
  await page.screenshot({ path: shots + "03-narrow-360.png", fullPage: true });
  assert.deepEqual(errors, []);
});
