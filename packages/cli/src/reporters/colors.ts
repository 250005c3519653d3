import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** picocolors with colour forced on or off (the caller decides: TTY, NO_COLOR, --output). */
export function createColors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}
