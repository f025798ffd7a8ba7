import { mm } from '../format';
import type { PrescriptionPatient, PrescriptionPdfOptions } from './types';

/* The page: paper sizes, margins checked, where content and footer go; the shared colours. */

const PAPER: Record<PrescriptionPdfOptions['paper'], { width: number; height: number; scale: number }> = {
  A4: { width: 595.28, height: 841.89, scale: 1 },
  A5: { width: 419.53, height: 595.28, scale: 0.86 },
};

export const MUTED = '#444444';
export const RULE = '#9aa5b1';
export const STAMP = '#e53935';
/** STAMP at 28% on white, as a solid colour: no transparency, which PostScript printing paths rasterise. */
export const STAMP_TINT = '#f8c8c6';

export const SEX: Record<PrescriptionPatient['sex'], string> = { M: 'Male', F: 'Female', O: 'Other' };

export interface Geometry {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  contentWidth: number;
  /** Lowest y content may reach (the footer is below). */
  contentBottom: number;
  footerTop: number;
  /** The bottom margin's edge: the footer's last line ends here. */
  footerBottom: number;
  scale: number;
}

export function geometry(options: PrescriptionPdfOptions): Geometry {
  const paper = PAPER[options.paper];
  if (!paper) throw new RangeError(`paper must be A4 or A5, not ${String(options.paper)}`);
  const check = (name: string, value: number | undefined): void => {
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) throw new RangeError(`${name} must be 0 or more`);
  };
  check('marginTopMm', options.marginTopMm);
  check('marginLeftMm', options.marginLeftMm);
  check('marginRightMm', options.marginRightMm);
  check('marginBottomMm', options.marginBottomMm);
  const scale = paper.scale;
  const left = mm(options.marginLeftMm);
  const right = mm(options.marginRightMm ?? Math.min(15, Math.max(6, options.marginLeftMm)));
  const top = mm(options.marginTopMm);
  const bottom = mm(options.marginBottomMm ?? (options.paper === 'A4' ? 10 : 8));
  const contentWidth = paper.width - left - right;
  // The same with or without the reprint note, so a reprint breaks pages where the original did.
  const footerHeight = 24 * scale;
  const footerTop = paper.height - bottom - footerHeight;
  if (contentWidth < paper.width * 0.45) {
    throw new RangeError('the left and right margins leave too little width for the prescription');
  }
  if (footerTop - top < paper.height * 0.4) {
    throw new RangeError('the top and bottom margins leave too little height for the prescription');
  }
  return {
    width: paper.width,
    height: paper.height,
    left,
    right,
    top,
    contentWidth,
    contentBottom: footerTop - 4 * scale,
    footerTop,
    footerBottom: paper.height - bottom,
    scale,
  };
}
