// Takes the README's screenshots of the level explorer: docs/explorer-1280.png and docs/explorer-phone.png.
// Runs on the node and playwright-core that the Microsoft.Playwright NuGet package puts in the test build's output,
// driving Debian's chromium, against a running service:
//
//   dotnet run --project Gdm.Api -c Release -- --urls http://127.0.0.1:5080 --Engine:RequestDeadline=00:10:00 &
//   out=Gdm.Tests/bin/Release/net10.0/linux-x64/.playwright
//   $out/node/linux-x64/node docs/explorer-screenshots.js http://127.0.0.1:5080/ $out/package

const [address, playwrightCore] = process.argv.slice(2);
const { chromium } = require(require('path').resolve(playwrightCore));

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const wide = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  wide.setDefaultTimeout(600_000);
  await wide.goto(address);
  await wide.locator('body[data-ready]').waitFor();
  await wide.fill('#grid-seed', '7');
  await wide.fill('#grid-count', '6');
  await wide.fill('#grid-steps', '4');
  await wide.getByTestId('new-grid').click();
  await wide.locator('[data-testid=tile][data-state=done]').nth(5).waitFor();
  await wide.getByTestId('tile').nth(2).locator('.tile-open').click();
  await wide.locator('[data-testid=level-row][data-group="5"] img[src^="data:"]').waitFor();
  for (const g of [0, 1]) await wide.locator(`[data-testid=level-row][data-group="${g}"] [data-testid=level-lock]`).check();
  await wide.getByTestId('preset-subtle').click();
  await wide.getByTestId('candidate').nth(3).waitFor();
  await wide.selectOption('#traverse-group', '0');
  await wide.getByTestId('traverse').click();
  await wide.getByTestId('traverse-frame').nth(4).waitFor();
  await wide.screenshot({ path: 'docs/explorer-1280.png', fullPage: true });

  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  phone.setDefaultTimeout(600_000);
  await phone.goto(wide.url());
  await phone.locator('[data-testid=level-row][data-group="5"] img[src^="data:"]').waitFor();
  await phone.locator('#detail').scrollIntoViewIfNeeded();
  await phone.screenshot({ path: 'docs/explorer-phone.png' });
  await browser.close();
})().catch(error => {
  console.error(error);
  process.exit(1);
});
