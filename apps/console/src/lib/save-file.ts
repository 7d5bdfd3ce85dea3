/** Hands bytes the api answered with (an export) to the browser as a download named `name`. */
export function saveFile(bytes: ArrayBuffer, name: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([bytes]));
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}
