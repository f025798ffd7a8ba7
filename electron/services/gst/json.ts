import type { Gstr1Figures } from './figures';
import { ratePercent, rupeeNumber } from './period';

/*
 * The GSTR-1 JSON of the GSTN offline tool, as the tool exports it for upload: top-level gstin and
 * fp, then the sections by their short names. Layout followed: the offline tool's GSTR-1 schema
 * with table 12 split into B2B and B2C (GSTN advisory on HSN Phase-III, mandatory from the return
 * period May 2025): b2cs[{sply_ty,pos,typ,rt,txval,iamt,camt,samt,csamt}],
 * hsn{hsn_b2c:[{num,hsn_sc,desc,uqc,qty,rt,txval,iamt,camt,samt,csamt}]} (rate-wise rows, no `val`;
 * every supply of a clinic is to unregistered persons, so hsn_b2b stays out; a period before May
 * 2025 gets the older single list, hsn{data:[...]}),
 * nil{inv:[{sply_ty,expt_amt,nil_amt,ngsup_amt}]} and doc_issue{doc_det:[{doc_num,docs:[{num,from,to,
 * totnum,cancel,net_issue}]}]}. A section with nothing in it is left out. Amounts are rupees with two
 * places made from integer paise; rates are percent.
 */

export interface Gstr1Json {
  gstin: string;
  fp: string;
  b2cs?: { sply_ty: 'INTRA'; pos: string; typ: 'OE'; rt: number; txval: number; iamt: number; camt: number; samt: number; csamt: number }[];
  hsn?: { hsn_b2c: HsnJsonRow[] } | { data: HsnJsonRow[] };
  nil?: { inv: { sply_ty: 'INTRB2C'; expt_amt: number; nil_amt: number; ngsup_amt: number }[] };
  doc_issue?: { doc_det: { doc_num: number; docs: { num: number; from: string; to: string; totnum: number; cancel: number; net_issue: number }[] }[] };
}

export interface HsnJsonRow { num: number; hsn_sc: string; desc: string; uqc: string; qty: number; rt: number; txval: number; iamt: number; camt: number; samt: number; csamt: number }

/** fp is MMYYYY; table 12 is split into B2B and B2C from the return period May 2025. */
const splitHsn = (fp: string): boolean => Number(fp.slice(2)) * 100 + Number(fp.slice(0, 2)) >= 202505;

export function gstr1Json(f: Gstr1Figures): Gstr1Json {
  const out: Gstr1Json = { gstin: f.clinic.gstin, fp: f.period };
  if (f.b2cs.length > 0) {
    out.b2cs = f.b2cs.map((r) => ({
      sply_ty: 'INTRA',
      pos: f.clinic.stateCode,
      typ: 'OE',
      rt: ratePercent(r.rateBp),
      txval: rupeeNumber(r.taxablePaise),
      iamt: 0,
      camt: rupeeNumber(r.cgstPaise),
      samt: rupeeNumber(r.sgstPaise),
      csamt: 0,
    }));
  }
  if (f.hsn.length > 0) {
    const rows: HsnJsonRow[] = f.hsn.map((r, i) => ({
      num: i + 1,
      hsn_sc: r.code,
      desc: r.description,
      uqc: r.uqc,
      qty: r.quantity,
      rt: ratePercent(r.rateBp),
      txval: rupeeNumber(r.taxablePaise),
      iamt: 0,
      camt: rupeeNumber(r.cgstPaise),
      samt: rupeeNumber(r.sgstPaise),
      csamt: 0,
    }));
    out.hsn = splitHsn(f.period) ? { hsn_b2c: rows } : { data: rows };
  }
  const n = f.nil;
  if (n.exemptPaise !== 0 || n.nilPaise !== 0 || n.nonGstPaise !== 0) {
    out.nil = { inv: [{ sply_ty: 'INTRB2C', expt_amt: rupeeNumber(n.exemptPaise), nil_amt: rupeeNumber(n.nilPaise), ngsup_amt: rupeeNumber(n.nonGstPaise) }] };
  }
  if (f.documents.length > 0) {
    out.doc_issue = {
      doc_det: f.documents.map((g) => ({
        doc_num: g.docNum,
        docs: g.series.map((s, i) => ({ num: i + 1, from: s.from, to: s.to, totnum: s.total, cancel: s.cancelled, net_issue: s.total - s.cancelled })),
      })),
    };
  }
  return out;
}
