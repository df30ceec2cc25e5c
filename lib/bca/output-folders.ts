// The folder each input of a multi-file `corridor bca run` writes into, under --out. Named after
// the file so a reader can find it; two inputs of one name (a/x.yaml, b/x.yaml) must not share a
// folder, or the second run would overwrite the first and the comparison would point at it twice.
// Rule (deterministic, in command-line order): the file name without its extension; when two or
// more inputs share that name, `<parent folder>-<name>` for each of them; a name still taken
// gets `-2`, `-3`, … in the order the files were given.

const parts = (file: string) => file.split(/[\\/]+/).filter(Boolean);
const stem = (file: string) => (parts(file).at(-1) ?? file).replace(/\.[^.]+$/, '');
const parent = (file: string) => parts(file).at(-2);

export function outputFolders(files: string[]): string[] {
  const count = new Map<string, number>();
  for (const f of files) count.set(stem(f), (count.get(stem(f)) ?? 0) + 1);
  const wanted = files.map((f) => {
    const s = stem(f);
    const p = parent(f);
    return (count.get(s) ?? 0) > 1 && p ? `${p}-${s}` : s;
  });
  const taken = new Set<string>();
  return wanted.map((w) => {
    let name = w;
    for (let n = 2; taken.has(name); n++) name = `${w}-${n}`;
    taken.add(name);
    return name;
  });
}
