/** A tiny DOM builder: h('tag.class', { attr, onclick }, ...children). Text is always text, never HTML. */
export function h (spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.')
  const el = document.createElement(tag || 'div')
  if (classes.length) el.className = classes.join(' ')
  if (attrs === null || typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs)) { children.unshift(attrs); attrs = {} }
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v)
    else if (k === 'class') el.className += (el.className ? ' ' : '') + v
    else if (k === 'value') el.value = v
    else if (k === 'checked') el.checked = Boolean(v)
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  append(el, children)
  return el
}

function append (el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue
    if (Array.isArray(c)) append(el, c)
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)))
  }
}

export function replace (el, ...children) {
  el.replaceChildren()
  append(el, children)
}

export function debounce (fn, ms) {
  let t
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms) }
}

export async function copy (text) {
  try {
    await navigator.clipboard.writeText(text)
  } catch {
    const area = h('textarea', { 'aria-hidden': 'true', class: 'offscreen' }, text)
    document.body.append(area)
    area.select()
    document.execCommand('copy')
    area.remove()
  }
  toast('Copied')
}

let toastTimer
export function toast (text, kind = '') {
  const el = document.getElementById('toast')
  el.textContent = text
  el.className = 'show ' + kind
  clearTimeout(toastTimer)
  toastTimer = setTimeout(() => { el.className = '' }, 2500)
}

export const pretty = (v) => v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v, null, 2)
