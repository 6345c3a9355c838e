// images.js: the images page — upload, modify (rename, visibility) and delete.
import { api } from './api.js';
import { announce, confirmDialog, fmtTime, h, showError } from './dom.js';

export function render(main, ctx) {
  const p = ctx.scope ? `/projects/${encodeURIComponent(ctx.scope.project)}` : '';
  const tbody = h('tbody', { id: 'image-rows' });
  const status = h('p', { class: 'hint', 'aria-live': 'polite' });

  const name = h('input', { id: 'img-name', required: true, autocomplete: 'off', 'aria-describedby': 'img-name-err' });
  const nameErr = h('span', { class: 'field-error', id: 'img-name-err' });
  const format = h('select', { id: 'img-format' }, ['qcow2', 'raw', 'iso', 'vmdk'].map((f) => new Option(f, f)));
  const vis = h('select', { id: 'img-visibility' }, ['private', 'shared', 'public'].map((f) => new Option(f, f)));
  const file = h('input', { id: 'img-file', type: 'file' });
  const upBtn = h('button', { type: 'submit', class: 'primary', id: 'img-upload' }, 'Upload');
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'h-upload' },
    h('h2', { id: 'h-upload' }, 'Upload an image'),
    h('div', { class: 'grid2' },
      h('div', { class: 'field' }, h('label', { for: 'img-name' }, 'Name'), name, nameErr),
      h('div', { class: 'field' }, h('label', { for: 'img-format' }, 'Disk format'), format),
      h('div', { class: 'field' }, h('label', { for: 'img-visibility' }, 'Visibility'), vis),
      h('div', { class: 'field' }, h('label', { for: 'img-file' }, 'Image file (optional)'), file)),
    h('div', { class: 'buttons' }, upBtn));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    nameErr.textContent = '';
    name.removeAttribute('aria-invalid');
    if (!name.value.trim()) {
      nameErr.textContent = 'Give the image a name.';
      name.setAttribute('aria-invalid', 'true');
      name.focus();
      return;
    }
    upBtn.disabled = true;
    upBtn.textContent = 'Uploading…';
    try {
      const f = file.files[0];
      if (f) {
        const q = new URLSearchParams({ name: name.value.trim(), diskFormat: format.value, visibility: vis.value });
        if (ctx.scope) q.set('project', ctx.scope.project);
        await api('POST', `/images/upload?${q}`, f);
      } else {
        await api('POST', `${p}/images`, [{ name: name.value.trim(), diskFormat: format.value, containerFormat: 'bare', visibility: vis.value }]);
      }
      announce(`Image ${name.value.trim()} added`);
      form.reset();
      await load();
    } catch (err) {
      showError(err);
    } finally {
      upBtn.disabled = false;
      upBtn.textContent = 'Upload';
    }
  });

  async function modify(img) {
    const newName = prompt(`New name of image ${img.name}`, img.name);
    if (newName === null || newName.trim() === '' || newName === img.name) return;
    try {
      await api('PUT', `${p}/images`, [{ id: img.id, name: newName.trim() }]);
      await load();
    } catch (e) { showError(e); }
  }

  async function remove(img) {
    if (!await confirmDialog(`Delete image ${img.name}?`, 'Instances launched from it keep running; the image cannot be recovered.', 'Delete')) return;
    try {
      const t = await api('POST', `${p}/images/delete`, [img.id]);
      const failed = (t.results || []).find((r) => r.state === 'failed');
      if (failed) showError(failed.message);
      await load();
    } catch (e) { showError(e); }
  }

  async function load() {
    try {
      const list = await api('GET', `${p}/images`);
      status.textContent = `${list.length} image${list.length === 1 ? '' : 's'}`;
      tbody.replaceChildren(...list.map((img) => h('tr', {},
        h('td', {}, img.name), h('td', {}, img.state), h('td', { class: 'opt' }, img.cloudId),
        h('td', { class: 'opt' }, fmtTime(img.created)),
        h('td', {},
          h('button', { type: 'button', onclick: () => modify(img), 'aria-label': `Rename image ${img.name}` }, 'Rename'), ' ',
          h('button', { type: 'button', class: 'danger', onclick: () => remove(img), 'aria-label': `Delete image ${img.name}` }, 'Delete')))));
    } catch (e) { showError(e); }
  }

  main.append(h('h1', {}, 'Images'), form, status,
    h('div', { class: 'table-wrap' }, h('table', { id: 'images' },
      h('thead', {}, h('tr', {}, ['Name', 'State'].map((c) => h('th', { scope: 'col' }, c)),
        h('th', { scope: 'col', class: 'opt' }, 'Cloud'), h('th', { scope: 'col', class: 'opt' }, 'Created'), h('th', { scope: 'col' }, 'Actions'))),
      tbody)));
  load();
}
