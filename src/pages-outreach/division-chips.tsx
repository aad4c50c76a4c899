/** The streets an office may address, as multi-select chips (publishing, training sessions). */
import { Chip, ChipGroup } from '@/ui/Chip';
import type { Division } from '@/domain/division';
import { toggled } from './model';

export function DivisionChips(props: {
  /** Element ids are `<idPrefix>-<division code>`. */
  idPrefix: string;
  offered: readonly Division[];
  chosen: readonly string[];
  onChange: (codes: string[]) => void;
}) {
  return (
    <ChipGroup>
      {props.offered.map((d) => (
        <Chip
          key={d.code}
          id={`${props.idPrefix}-${d.code}`}
          multi
          selected={props.chosen.includes(d.code)}
          onClick={() => props.onChange(toggled(props.chosen, d.code))}
        >
          {d.name}
        </Chip>
      ))}
    </ChipGroup>
  );
}
