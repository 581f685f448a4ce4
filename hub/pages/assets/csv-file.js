// Progressive enhancement for the batch forms: a chosen file is read into the textarea next to it, so
// the form still posts plain text (and works without this script).
for (const input of document.querySelectorAll('input[type="file"][data-fills]')) {
  input.addEventListener('change', async () => {
    const target = document.getElementById(input.dataset.fills);
    const file = input.files?.[0];
    if (target && file) target.value = await file.text();
  });
}
