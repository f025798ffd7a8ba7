import type { Gstr1Figures } from './figures';
import { ratePercent, rupeeNumber } from './period';

/*
 * The GSTR-1 JSON of the GSTN offline tool, as the tool exports it for upload: top-level gstin and
 * fp, then the sections by their short names. Layout followed: the offline tool's GSTR-1 schema
 * before the 2025 split of table 12 (GSTN advisory on HSN Phase-III, which moved the rows into
 * hsn_b2b / hsn_b2c): b2cs[{sply_ty,pos,typ,rt,txval,iamt,camt,samt,csamt}],
 * hsn{data:[{num,hsn_sc,desc,uqc,qty,rt,txval,iamt,camt,samt,csamt}]} (rate-wise rows, no `val`),
 * nil{inv:[{sply_ty,expt_amt,nil_amt,ngsup_amt}]} and doc_issue{doc_det:[{doc_num,docs:[{num,from,to,
 * totnum,cancel,net_issue}]}]}. A section with nothing in it is left out. Amounts are rupees with two
 * places made from integer paise; rates are percent.
 */

export interface Gstr1Json {
  gstin: string;
  fp: string;
  b2cs?: { sply_ty: 'INTRA'; pos: string; typ: 'OE'; rt: number; txval: number; iamt: number; camt: number; samt: number; csamt: number }[];
  hsn?: { data: { num: number; hsn_sc: string; desc: string; uqc: string; qty: number; rt: number; txval: number; iamt: number; camt: number; samt: number; csamt: number }[] };
  nil?: { inv: { sply_ty: 'INTRB2C'; expt_amt: number; nil_amt: number; ngsup_amt: number }[] };
  doc_issue?: { doc_det: { doc_num: number; docs: { num: number; from: string; to: string; totnum: number; cancel: number; net_issue: number }[] }[] };
}

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
    out.hsn = {
      data: f.hsn.map((r, i) => ({
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
      })),
    };
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
