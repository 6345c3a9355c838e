// signin.js: the sign-in page.
import { api } from './api.js';
import { h } from './dom.js';

export function render(main, ctx) {
  const err = h('p', { class: 'form-error', id: 'signin-error', role: 'alert' });
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'signin-submit' }, 'Sign in');
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in to Perspective'),
    h('div', { class: 'field' }, h('label', { for: 'username' }, 'User name'), user),
    h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), pass),
    err,
    h('div', { class: 'buttons' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.textContent = '';
    if (!user.value.trim() || !pass.value) {
      err.textContent = 'Enter your user name and password.';
      (user.value.trim() ? pass : user).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      await api('POST', '/auth/login', { username: user.value.trim(), password: pass.value });
      pass.value = '';
      location.hash = '#/instances';
      await ctx.refreshMe();
    } catch (e2) {
      err.textContent = e2.message;
      pass.select();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  });
  main.append(h('div', { class: 'signin' }, form));
  user.focus();
}
