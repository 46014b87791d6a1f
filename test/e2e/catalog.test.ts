import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildCatalog } from "../../lib/review/catalog";
import { renderCatalogHtml } from "../../lib/review/catalog-html";
import { validate } from "../../lib/config/validate";
import { exampleRaw } from "../helpers.js";

/*
 * The catalog page in a real browser: Debian's chromium (`apt-get install -y chromium`),
 * driven by playwright-core; no browser is downloaded. The page is opened from file://.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const work = mkdtempSync(path.join(tmpdir(), "catalog-e2e-"));
let browser: Browser;
let page: Page;
const requests: string[] = [];

beforeAll(async () => {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/catalog.ts"), "--config", path.join(ROOT, "test/fixtures/org"), "--out", work], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`npm run catalog failed:\n${result.stderr}`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
  });
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(async () => {
  page = await browser.newPage();
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(path.join(work, "index.html")).href);
});

afterEach(async () => {
  await page?.close();
});

const shownServices = () => page.locator("#services tbody tr[data-service]:visible").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.service));
const shownDevelopers = () => page.locator("#developers tbody tr[data-developer]:visible").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.developer));

describe("the catalog page", () => {
  it("shows every service and developer before any search", async () => {
    expect(await shownServices()).toEqual(["ledger", "payments", "recommendations"]);
    expect(await shownDevelopers()).toEqual(["alice", "bob", "carol", "dave", "erin"]);
    await expect(page.locator("#count").textContent()).resolves.toBe("3 of 3 services, 5 of 5 developers");
  });

  it("narrows to the service searched for, with its owners, account, network and workspaces", async () => {
    await page.fill("#search", "ledger");
    expect(await shownServices()).toEqual(["ledger"]);
    const row = page.locator("#services tr[data-service=ledger]");
    const text = await row.innerText();
    for (const expected of ["Carol Suzuki", "Bob Sato", "aws+ledger@example.com", "workloads-prod", "10.16.16.0/20", "ledger-ap-northeast-1", "service-ledger-ap-northeast-1", "ledger-team"]) {
      expect(text).toContain(expected);
    }
    // Developers are matched by the services they own.
    expect(await shownDevelopers()).toEqual(["bob", "carol"]);
    await expect(page.locator("#count").textContent()).resolves.toBe("1 of 3 services, 2 of 5 developers");
  });

  it("finds a service by its owner's name, case-insensitively", async () => {
    await page.fill("#search", "DAVE ITO");
    expect(await shownServices()).toEqual(["recommendations"]);
  });

  it("filters by owner and by account", async () => {
    await page.selectOption("#owner", "alice");
    expect(await shownServices()).toEqual(["payments"]);
    expect(await shownDevelopers()).toEqual(["alice"]);
    await page.selectOption("#owner", "");
    await page.selectOption("#account", "workloads-nonprod");
    expect(await shownServices()).toEqual(["recommendations"]);
    expect(await shownDevelopers()).toEqual(["dave", "erin"]);
  });

  it("says so when nothing matches", async () => {
    await page.fill("#search", "no-such-service");
    expect(await shownServices()).toEqual([]);
    await expect(page.locator("#services-empty").isVisible()).resolves.toBe(true);
  });

  it("makes no request beyond the file itself", () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith("file://"))).toEqual([]);
  });
});

describe("the catalog page with hostile config text", () => {
  it("shows it as text and runs none of it", async () => {
    const raw = exampleRaw();
    raw.serviceFiles.ledger = raw.index.ledger = { ...raw.index.ledger, description: `<img src=x onerror="document.title='pwned'"></script><b>bold</b>` };
    const file = path.join(work, "hostile.html");
    writeFileSync(file, renderCatalogHtml(buildCatalog(validate(raw))));
    await page.goto(pathToFileURL(file).href);
    await expect(page.locator("#services tr[data-service=ledger]").innerText()).resolves.toContain(`<img src=x onerror="document.title='pwned'"></script><b>bold</b>`);
    expect(await page.locator("img, #services b").count()).toBe(0);
    await expect(page.title()).resolves.toBe("Resource catalog: example");
    await page.fill("#search", "onerror");
    expect(await shownServices()).toEqual(["ledger"]);
  });
});
