import { View } from '@tarojs/components';
import { Chip, ChipGroup } from './Chip';
import { TextInput, type TextInputProps } from './Field';

export interface PickOrTypeProps extends TextInputProps {
  /** The usual values, as chips `<chipId>-<i>` over the input. */
  options: readonly string[];
  chipId: string;
  /** A tap on a chip; by default it puts the chip's value in the input. */
  onPick?: (option: string) => void;
  wide?: boolean;
}

/** A value picked from the usual ones (a chip, on while the input holds it) or typed. */
export function PickOrType({ options, chipId, onPick, wide, ...input }: PickOrTypeProps) {
  const pick = onPick ?? input.onChange;
  return (
    <>
      {options.length > 0 ? (
        <ChipGroup wide={wide}>
          {options.map((o, i) => (
            <Chip
              key={`${o}-${i}`}
              id={`${chipId}-${i}`}
              selected={input.value.trim() === o}
              onClick={() => pick(o)}
            >
              {o}
            </Chip>
          ))}
        </ChipGroup>
      ) : null}
      <View className="ui-gap" />
      <TextInput {...input} />
    </>
  );
}
