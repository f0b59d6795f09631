// Opens a report page in Debian's headless Chromium as a reader would, collecting console
// errors and failed requests, and keeping a screenshot.
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export interface PageCheck {
  charts: string[]
  svgCount: number
  consoleErrors: string[]
  failedRequests: string[]
  title: string
}

export async function checkPage(htmlFile: string, screenshot: string): Promise<PageCheck> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    const consoleErrors: string[] = []
    const failedRequests: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text())
    })
    page.on('pageerror', (e) => consoleErrors.push(e.message))
    page.on('requestfailed', (r) => failedRequests.push(r.url()))
    await page.goto(`file://${htmlFile}`, { waitUntil: 'load' })
    const charts = await page.$$eval('figure.chart', (els) => els.map((e) => e.getAttribute('data-chart') ?? ''))
    const svgCount = await page.$$eval('figure.chart svg', (els) => els.filter((e) => e.getBoundingClientRect().width > 100).length)
    await page.screenshot({ path: screenshot, fullPage: true })
    return { charts, svgCount, consoleErrors, failedRequests, title: await page.title() }
  } finally {
    await browser.close()
  }
}
