import { pageRule } from './layout';
import { renderPdfPages } from './pdf-pages';
import { PRINT_API, type PrintPage, type PrintPageApi, type RenderedPdf } from '../../../shared/print-protocol';
import './print.css';

declare global {
  interface Window {
    [PRINT_API]?: PrintPageApi;
  }
}

async function render(pdfBase64: string, title: string): Promise<RenderedPdf> {
  const root = document.getElementById('pages');
  if (!root) throw new Error('The print page is incomplete (no #pages).');
  document.documentElement.dataset.state = 'rendering';
  root.replaceChildren();
  document.title = title;
  try {
    const pages: PrintPage[] = [];
    for (const { element, page } of await renderPdfPages(pdfBase64)) {
      root.append(element);
      pages.push(page);
    }
    const first = pages[0];
    if (!first) throw new Error('the PDF has no pages');
    // Every PDF the app makes has one paper size throughout; the sheet is the first page's.
    const style = document.getElementById('page-size') ?? document.head.appendChild(Object.assign(document.createElement('style'), { id: 'page-size' }));
    style.textContent = pageRule(first.widthPt, first.heightPt);
    document.documentElement.dataset.state = 'ready';
    return { pages };
  } catch (error) {
    document.documentElement.dataset.state = 'error';
    throw new Error(`The document could not be prepared for printing: ${error instanceof Error ? error.message : String(error)}`);
  }
}

window[PRINT_API] = { render };
document.documentElement.dataset.state = 'waiting';
