// launch.js: the launch dialog — name, count, flavor, image, network,
// keypair — with each field's error next to the field.
import { api } from './api.js';
import { $, showError } from './dom.js';
import { runTask } from './bulk.js';

const FIELDS = ['name', 'count', 'flavor', 'image', 'network', 'keypair'];

function fieldError(field, msg) {
  const input = $('#l-' + field);
  $('#l-' + field + '-err').textContent = msg || '';
  if (msg) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
}

function clearErrors() {
  for (const f of FIELDS) fieldError(f, '');
  $('#launch-error').textContent = '';
}

// fieldOf guesses which field an API error message is about.
export function fieldOf(message) {
  const m = message.toLowerCase();
  for (const f of ['flavor', 'image', 'network', 'keypair', 'key']) if (m.includes(f)) return f === 'key' ? 'keypair' : f;
  if (m.includes('name')) return 'name';
  if (m.includes('count') || m.includes('quota')) return 'count';
  return null;
}

function fill(select, items, label, optional) {
  select.replaceChildren();
  if (optional) select.append(new Option(`(no ${optional})`, ''));
  for (const it of items) select.append(new Option(label(it), it.id ?? it.name));
}

// openLaunch shows the dialog; a launch runs as a task shown in area.
export async function openLaunch(ctx, area, done) {
  const dlg = $('#launch');
  const form = $('#launch-form');
  clearErrors();
  const p = ctx.prefix; // the flavors, networks and images of the scope's cloud
  const q = ctx.scope ? `?project=${encodeURIComponent(ctx.scope.project)}&region=${encodeURIComponent(ctx.scope.region)}` : '';
  const ok = $('#launch-ok');
  ok.disabled = true;
  dlg.showModal();
  $('#l-name').focus();
  try {
    const [flavors, images, networks, keypairs] = await Promise.all([
      api('GET', `${p}/flavors`), api('GET', `${p}/images`), api('GET', `${p}/networks`), api('GET', `/keypairs${q}`)]);
    fill($('#l-flavor'), flavors, (f) => `${f.name} (${f.vcpus} vCPU, ${f.ram} MiB)`);
    fill($('#l-image'), images, (i) => i.name || i.id);
    fill($('#l-network'), networks, (n) => n.name || n.id, 'network');
    fill($('#l-keypair'), keypairs.map((k) => ({ ...k, id: k.name })), (k) => k.name, 'keypair');
    ok.disabled = false;
  } catch (e) {
    $('#launch-error').textContent = e.message;
  }

  const close = () => { form.removeEventListener('submit', submit); dlg.close(); };
  $('#launch-cancel').onclick = close;
  dlg.addEventListener('close', () => form.removeEventListener('submit', submit), { once: true });

  async function submit(e) {
    e.preventDefault();
    clearErrors();
    const name = $('#l-name').value.trim();
    const n = Number($('#l-count').value);
    let bad = false;
    if (!name) { fieldError('name', 'Give the instances a name.'); bad = true; }
    else if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) { fieldError('name', 'Use letters, digits, ".", "_" and "-", starting with a letter or digit.'); bad = true; }
    if (!Number.isInteger(n) || n < 1 || n > 100) { fieldError('count', 'Launch between 1 and 100 instances.'); bad = true; }
    if (!$('#l-flavor').value) { fieldError('flavor', 'Choose a flavor.'); bad = true; }
    if (!$('#l-image').value) { fieldError('image', 'Choose an image.'); bad = true; }
    if (bad) { form.querySelector('[aria-invalid="true"]').focus(); return; }
    const item = (i) => {
      const it = { name: n === 1 ? name : `${name}-${i + 1}`, flavor: { id: $('#l-flavor').value }, image: { id: $('#l-image').value } };
      if ($('#l-network').value) it.networks = [{ id: $('#l-network').value }];
      if ($('#l-keypair').value) it.keypairs = [{ name: $('#l-keypair').value }];
      return it;
    };
    const body = Array.from({ length: n }, (_, i) => item(i));
    ok.disabled = true;
    try {
      // A request the server refuses outright (400) keeps the dialog open
      // with the message next to the field; a task shows on the page.
      close();
      const names = new Map();
      const task = await runTask('POST', `${p}/instances`, body, `Launch: ${n} instance${n === 1 ? '' : 's'}`, names, area);
      const failed = (task.results || []).find((r) => r.state === 'failed');
      if (failed && task.succeeded === 0) reopenWithError(failed.message);
    } catch (err) {
      reopenWithError(err.message);
    } finally {
      ok.disabled = false;
      done();
    }
  }

  function reopenWithError(message) {
    if (!dlg.open) {
      dlg.showModal();
      form.addEventListener('submit', submit);
      dlg.addEventListener('close', () => form.removeEventListener('submit', submit), { once: true });
    }
    const f = fieldOf(message);
    if (f) { fieldError(f, message); $('#l-' + f).focus(); } else { $('#launch-error').textContent = message; }
    showError(message);
  }

  form.addEventListener('submit', submit);
}
