export async function run(_args: string[]) {
  return { bench: 'sim', todo: true };
}
