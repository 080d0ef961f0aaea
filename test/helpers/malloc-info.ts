/**
 * glibc's own account of its heap (mallinfo2, through koffi), for the soak: how much the process
 * has allocated (in use) and how much the arenas hold free. RSS climbing while `inUse` stays flat
 * is the allocator keeping freed memory, not a leak. Undefined where there is no glibc.
 */
import koffi from 'koffi';

export interface MallocInfo {
  /** Bytes allocated and not freed: arena blocks and mmapped blocks. */
  inUse: number;
  /** Bytes the arenas hold free (resident or not). */
  free: number;
}

const MallInfo2 = koffi.struct('mallinfo2', {
  arena: 'size_t', ordblks: 'size_t', smblks: 'size_t', hblks: 'size_t', hblkhd: 'size_t',
  usmblks: 'size_t', fsmblks: 'size_t', uordblks: 'size_t', fordblks: 'size_t', keepcost: 'size_t',
});

type Fields = Record<'hblkhd' | 'uordblks' | 'fordblks', number | bigint>;

const mallinfo2 = ((): (() => Fields) | undefined => {
  try {
    return koffi.load('libc.so.6').func('mallinfo2', MallInfo2, []) as () => Fields;
  } catch {
    return undefined;
  }
})();

export function mallocInfo(): MallocInfo | undefined {
  if (mallinfo2 === undefined) return undefined;
  const info = mallinfo2();
  return { inUse: Number(info.uordblks) + Number(info.hblkhd), free: Number(info.fordblks) };
}
