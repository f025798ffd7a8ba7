// Checks every relative markdown link (file and #anchor, GitHub anchor rules) in the given files.
// Usage: node scripts/check-doc-links.mjs README.md CONTRIBUTING.md docs/*.md
import fs from 'node:fs';
import path from 'node:path';
const slug = (h) => h.trim().toLowerCase().replace(/<[^>]+>/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
function anchors(file) {
  const out = new Set(); const seen = new Map(); let fence = false;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) { fence = !fence; continue; }
    const m = !fence && /^#{1,6}\s+(.*)$/.exec(line);
    if (!m) continue;
    let s = slug(m[1].replace(/`/g, '')); const n = seen.get(s) ?? 0; seen.set(s, n + 1);
    out.add(n ? `${s}-${n}` : s);
  }
  return out;
}
let bad = 0, total = 0;
for (const file of process.argv.slice(2)) {
  let fence = false;
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) { fence = !fence; return; }
    if (fence) return;
    const noCode = line.replace(/`[^`]*`/g, '');
    for (const m of noCode.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/i.test(target)) continue;
      total++;
      const [p, a] = target.split('#');
      const dest = p ? path.resolve(path.dirname(file), p) : path.resolve(file);
      let why = null;
      if (!fs.existsSync(dest)) why = 'no such file';
      else if (a !== undefined && dest.endsWith('.md') && !anchors(dest).has(a)) why = `no anchor #${a}`;
      if (why) { bad++; console.log(`${file}:${i + 1}: ${target} -> ${why}`); }
    }
  });
}
console.log(`${total} relative links checked, ${bad} broken`);
process.exit(bad ? 1 : 0);
