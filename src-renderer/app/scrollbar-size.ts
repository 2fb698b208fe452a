/**
 * Stands in for `@rc-component/util/es/getScrollBarSize` (vite.renderer.config.ts swaps it in). The original measures an
 * element's scrollbar by inserting a `<style>` element with a `::-webkit-scrollbar` rule, which the strict CSP
 * (style-src 'self') refuses: every antd Table logged two CSP errors on mounting (规则核查's rule parameters). This one
 * measures the same way with styles set through the CSSOM only, and reads a styled `::-webkit-scrollbar` width of the
 * target directly, as the original does when it cannot insert its style.
 */
interface Size {
  width: number;
  height: number;
}

let cached: Size | undefined;

function measureScrollbarSize(ele?: Element): Size {
  const measure = document.createElement('div');
  const s = measure.style;
  s.position = 'absolute';
  s.left = '0';
  s.top = '0';
  s.width = '100px';
  s.height = '100px';
  s.overflow = 'scroll';
  let styledWidth = NaN;
  let styledHeight = NaN;
  if (ele) {
    const target = getComputedStyle(ele);
    s.scrollbarColor = target.scrollbarColor;
    s.scrollbarWidth = target.scrollbarWidth;
    const webkit = getComputedStyle(ele, '::-webkit-scrollbar');
    styledWidth = parseInt(webkit.width, 10);
    styledHeight = parseInt(webkit.height, 10);
  }
  document.body.appendChild(measure);
  const width = styledWidth > 0 ? styledWidth : measure.offsetWidth - measure.clientWidth;
  const height = styledHeight > 0 ? styledHeight : measure.offsetHeight - measure.clientHeight;
  document.body.removeChild(measure);
  return { width, height };
}

export default function getScrollBarSize(fresh?: boolean): number {
  if (typeof document === 'undefined') return 0;
  if (fresh || cached === undefined) cached = measureScrollbarSize();
  return cached.width;
}

export function getTargetScrollBarSize(target: unknown): Size {
  if (typeof document === 'undefined' || !target || !(target instanceof Element)) return { width: 0, height: 0 };
  return measureScrollbarSize(target);
}
