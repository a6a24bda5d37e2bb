"""Colour measured in the page: WCAG 2.x contrast, the background behind a point, the focus ring's tones.

Each constant is a JavaScript function for `page.evaluate`; they share COLOUR, the parsing and contrast helpers.
"""

from __future__ import annotations

# parse(css) -> [{r, g, b, a}] for every rgb()/rgba() in a computed value (a gradient gives each of its stops);
# ratio(a, b) -> WCAG contrast ratio; blend(fg, bg) -> fg painted over an opaque bg; painted(node) -> the colours a
# node paints itself (null if its background is see-through); surface(node) -> the node painted behind a node and its
# colours (walking up to an opaque background or a gradient; over a gradient every stop counts); label(node) -> a
# short name for reports.
COLOUR = """
  const parse = (text) => [...String(text).matchAll(/rgba?\\(([^)]+)\\)/g)].map((match) => {
    const parts = match[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  });
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const blend = (fg, bg) => ({
    r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a), a: 1,
  });
  const painted = (node) => {
    const style = getComputedStyle(node);
    if (style.backgroundImage.includes("gradient")) return parse(style.backgroundImage);
    const [colour] = parse(style.backgroundColor);
    return colour && colour.a >= 0.99 ? [colour] : null;
  };
  const surface = (node) => {
    for (let at = node; at; at = at.parentElement) {
      const colours = painted(at);
      if (colours) return { node: at, colours };
    }
    return { node: document.documentElement, colours: [{ r: 255, g: 255, b: 255, a: 1 }] };
  };
  const label = (node) => {
    if (node === document.documentElement || node === document.body) return "page";
    const name = node.id || node.classList[0] || node.tagName.toLowerCase();
    return String(name).replace(/[^a-z0-9-]+/gi, "-").toLowerCase();
  };
"""

# Contrast of every visible text element against its effective background. Large text (24px, or 18.66px bold)
# needs 3:1, other text 4.5:1.
TEXT_CONTRAST_FAILURES = f"""
() => {{
  {COLOUR}
  const failures = [];
  let checked = 0;
  for (const node of document.querySelectorAll("body *")) {{
    const ownText = [...node.childNodes].some((child) => child.nodeType === 3 && child.textContent.trim());
    const rect = node.getBoundingClientRect();
    const unseen = rect.width < 2 || rect.height < 2 || node.closest("[hidden], .visually-hidden, .skip-link");
    if (!ownText || unseen) continue;
    const style = getComputedStyle(node);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const [colour] = parse(style.color);
    const worst = Math.min(...surface(node).colours.map((bg) => ratio(colour, bg)));
    checked += 1;
    if (worst < (large ? 3 : 4.5)) {{
      const text = node.textContent.trim().slice(0, 40);
      failures.push(`${{node.tagName}}.${{node.className}} "${{text}}": ${{worst.toFixed(2)}}`);
    }}
  }}
  return {{ checked, failures }};
}}
"""

# The focus ring of the focused element, measured against what it sits on. The ring's tones are the outline's colour
# and the colours of the box-shadow drawn with it (the halo); a translucent tone counts as painted over the background.
# The backgrounds are sampled just outside the ring's outer edge, at the middle of each side, from the topmost painted
# element there that is not the focused element itself. For each background, the ring's best tone against it counts
# (WCAG technique C40: of a dark and a light tone, one shows on any background); the worst background decides.
FOCUS_RING = f"""
() => {{
  {COLOUR}
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const width = parseFloat(style.outlineWidth) || 0;
  const offset = parseFloat(style.outlineOffset) || 0;
  const drawn = style.outlineStyle !== "none" && style.outlineStyle !== "hidden" && width > 0;
  const tones = drawn ? parse(style.outlineColor).filter((c) => c.a > 0) : [];
  let reach = drawn ? offset + width : 0;
  if (style.boxShadow !== "none") {{
    for (const shadow of style.boxShadow.split(/,(?![^(]*\\))/)) {{
      if (/\\binset\\b/.test(shadow)) continue;
      const lengths = [...shadow.replace(/rgba?\\([^)]*\\)/g, "").matchAll(/(-?[\\d.]+)px/g)].map((m) => Number(m[1]));
      const spread = lengths[3] || 0;
      const [colour] = parse(shadow);
      if (spread > 0 && colour && colour.a > 0) {{
        tones.push(colour);
        reach = Math.max(reach, spread);
      }}
    }}
  }}
  const rect = element.getBoundingClientRect();
  const gap = reach + 2;
  const middleX = rect.left + rect.width / 2;
  const middleY = rect.top + rect.height / 2;
  const points = [
    [rect.left - gap, middleY], [rect.right + gap, middleY], [middleX, rect.top - gap], [middleX, rect.bottom + gap],
  ];
  const backgrounds = [];
  for (const [x, y] of points) {{
    if (x < 0 || y < 0 || x >= window.innerWidth || y >= window.innerHeight) continue;
    const below = document.elementsFromPoint(x, y).find((node) => !element.contains(node) && painted(node));
    const found = below ? {{ node: below, colours: painted(below) }} : surface(document.documentElement);
    const ratios = found.colours.map((bg) => Math.max(0, ...tones.map((tone) => ratio(blend(tone, bg), bg))));
    backgrounds.push({{ surface: label(found.node), ratio: Math.min(...ratios) }});
  }}
  return {{
    name: label(element),
    text: (element.getAttribute("aria-label") || element.textContent || element.id).trim().slice(0, 40),
    width, drawn, tones: tones.length, reach,
    box: {{ x: rect.left, y: rect.top, width: rect.width, height: rect.height }},
    backgrounds,
  }};
}}
"""
