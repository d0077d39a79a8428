/** `--name=value` of a bench script's command line (the value may itself hold `=`: `--server-flags=--x=1`). */
export function argReader(
  args: readonly string[] = process.argv.slice(2),
): (name: string) => string | undefined {
  return (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}
