// keypairs.js: the keypairs page — generate (the private key is offered
// for download once), import and delete.
import { api } from './api.js';
import { $, announce, confirmDialog, h, showError } from './dom.js';

export function render(main, ctx) {
  const q = ctx.scope ? `?project=${encodeURIComponent(ctx.scope.project)}&region=${encodeURIComponent(ctx.scope.region)}` : '';
  const tbody = h('tbody', { id: 'keypair-rows' });

  const genName = h('input', { id: 'kp-gen-name', required: true, autocomplete: 'off' });
  const genBtn = h('button', { type: 'submit', class: 'primary', id: 'kp-generate' }, 'Generate');
  const genForm = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'h-gen' },
    h('h2', { id: 'h-gen' }, 'Generate a keypair'),
    h('div', { class: 'field' }, h('label', { for: 'kp-gen-name' }, 'Name'), genName),
    h('div', { class: 'buttons' }, genBtn));

  const impName = h('input', { id: 'kp-imp-name', required: true, autocomplete: 'off' });
  const impKey = h('textarea', { id: 'kp-imp-key', required: true, placeholder: 'ssh-ed25519 AAAA… user@host' });
  const impBtn = h('button', { type: 'submit', class: 'primary', id: 'kp-import' }, 'Import');
  const impForm = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'h-imp' },
    h('h2', { id: 'h-imp' }, 'Import a public key'),
    h('div', { class: 'field' }, h('label', { for: 'kp-imp-name' }, 'Name'), impName),
    h('div', { class: 'field' }, h('label', { for: 'kp-imp-key' }, 'Public key'), impKey),
    h('div', { class: 'buttons' }, impBtn));

  async function create(btn, body, after) {
    if (!body.name) { showError('Give the keypair a name.'); return; }
    btn.disabled = true;
    try {
      const k = await api('POST', `/keypairs${q}`, body);
      after(k);
      await load();
    } catch (e) {
      showError(e);
    } finally {
      btn.disabled = false;
    }
  }

  genForm.addEventListener('submit', (e) => {
    e.preventDefault();
    create(genBtn, { name: genName.value.trim() }, (k) => {
      genForm.reset();
      if (k.privateKey) offerPrivateKey(k);
    });
  });
  impForm.addEventListener('submit', (e) => {
    e.preventDefault();
    create(impBtn, { name: impName.value.trim(), publicKey: impKey.value.trim() }, (k) => {
      impForm.reset();
      announce(`Keypair ${k.name} imported`);
    });
  });

  async function remove(k) {
    if (!await confirmDialog(`Delete keypair ${k.name}?`, 'New instances can no longer use it; running ones keep their key.', 'Delete')) return;
    try {
      const t = new URLSearchParams({ cloud: k.cloudId || '', project: k.projectId || '' });
      await api('DELETE', `/keypairs/${encodeURIComponent(k.name)}?${t}`);
      await load();
    } catch (e) { showError(e); }
  }

  async function load() {
    try {
      const list = await api('GET', `/keypairs${q}`);
      tbody.replaceChildren(...(list.length ? list.map((k) => h('tr', {},
        h('td', {}, k.name), h('td', { class: 'opt' }, k.fingerprint || ''), h('td', {}, k.projectId || ''),
        h('td', {}, h('button', { type: 'button', class: 'danger', onclick: () => remove(k), 'aria-label': `Delete keypair ${k.name}` }, 'Delete'))))
        : [h('tr', {}, h('td', { colspan: 4, class: 'empty' }, 'No keypairs yet.'))]));
    } catch (e) { showError(e); }
  }

  main.append(h('h1', {}, 'Keypairs'), h('div', { class: 'grid2' }, genForm, impForm),
    h('div', { class: 'table-wrap' }, h('table', { id: 'keypairs' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col', class: 'opt' }, 'Fingerprint'),
        h('th', { scope: 'col' }, 'Project'), h('th', { scope: 'col' }, 'Actions'))),
      tbody)));
  load();
}

// offerPrivateKey shows the one-time download of a generated private key;
// the key lives only in a blob URL that is revoked when the dialog closes.
function offerPrivateKey(k) {
  const dlg = $('#secret');
  const a = $('#secret-download');
  const url = URL.createObjectURL(new Blob([k.privateKey], { type: 'application/x-pem-file' }));
  a.href = url;
  a.download = `${k.name}.pem`;
  $('#secret-title').textContent = `Private key of ${k.name}`;
  dlg.addEventListener('close', () => { URL.revokeObjectURL(url); a.removeAttribute('href'); }, { once: true });
  dlg.showModal();
  a.focus();
}
