// The shipped project, built once per test file by the venv's kesu (tests/js/build_site.py), and
// its search answered by the worker's own engine reading the built index files from disk.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

import { Handler, parseWrapped } from "../../generator/js/kesu-search.mjs"

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
const PYTHON = process.env.KESU_PYTHON || join(REPO, ".venv", "bin", "python")

/* {site: folder of the built site, edition: its Traditional edition (site/zh-Hant), types: [{id, name,
 * customer_says}], lookups: [{id, kind, "zh-Hans", s2twp, s2hk}], remove()} */
export function buildShippedSite() {
  const folder = mkdtempSync(join(tmpdir(), "kesu-js-"))
  const run = spawnSync(PYTHON, [join(REPO, "tests", "js", "build_site.py"), join(folder, "project")],
    { cwd: REPO, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
  if (run.error || run.status !== 0) {
    rmSync(folder, { recursive: true, force: true })
    throw new Error(`building the shipped site failed (${PYTHON}; make venv first?):\n${run.error || run.stderr}`)
  }
  return { ...JSON.parse(run.stdout), remove: () => rmSync(folder, { recursive: true, force: true }) }
}

/* The search worker's message handler over a built site, reading files as the worker fetches them;
 * `loaded` lists the paths under search/ it read, in order. */
export async function searchOf(site) {
  const loaded = []
  const root = pathToFileURL(site + "/")
  const load = url => {
    loaded.push(url.slice(root.href.length))
    return Promise.resolve(parseWrapped(readFileSync(fileURLToPath(url), "utf8")))
  }
  const handle = Handler(root, load, () => { throw new Error("not a kesu index") })
  const stub = JSON.parse(readFileSync(join(site, "search", "search_index.json"), "utf8"))
  await handle({ type: 0, data: { config: stub.config, docs: [], options: {} } })
  const ask = async (query, all = false) => (await handle({ type: 2, data: query, all })).data
  return { ask, loaded }
}
