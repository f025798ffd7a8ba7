import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { tempDir } from './temp';

/** Small lists in the shipped files' layout, so loading all of them takes milliseconds. */
export const TINY_LISTS: Record<string, string[]> = {
  'lgd_states.csv.gz': ['state_code,state_name', '27,Maharashtra', '29,Karnataka'],
  'lgd_districts.csv.gz': ['district_code,district_name,state_code', '490,Pune,27', '482,Mumbai,27', '572,Bengaluru Urban,29'],
  'lgd_subdistricts.csv.gz': ['subdistrict_code,subdistrict_name,district_code,state_code', '4194,Pune City,490,27', '4193,Haveli,490,27'],
  'icd10cm_codes.csv.gz': ['code,title,category,chapter,billable', 'Z99,Dependence on enabling machines and devices,Z99,21,N', 'Z99.81,Dependence on supplemental oxygen,Z99,21,Y'],
  'pincodes.csv.gz': ['pincode,office_name,district,state,latitude,longitude', '411001,Pune H.O,PUNE,MAHARASHTRA,18.52322222,73.87586111', '411002,Pune City H.O,PUNE,MAHARASHTRA,18.5135,73.8569'],
};

/**
 * A folder in the place of resources/reference with the tiny lists (and a manifest), for tests
 * that load every list without the seconds the real ones take. `leaveOut` names files to omit.
 */
export function tinyShippedLists(leaveOut: string[] = []): string {
  const dir = tempDir('shipped-');
  const files: Record<string, { rows: number }> = {};
  for (const [name, lines] of Object.entries(TINY_LISTS)) {
    if (leaveOut.includes(name)) continue;
    fs.writeFileSync(path.join(dir, name), zlib.gzipSync(lines.join('\n') + '\n'));
    files[name] = { rows: lines.length - 1 };
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ files }));
  return dir;
}
