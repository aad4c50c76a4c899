import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { BigButton } from './Button';
import { Chip, ChipGroup } from './Chip';

/** The user's subjects as chips `<idPrefix><id>`, the chosen one on. */
export function SubjectChips({
  subjects,
  chosenId,
  idPrefix = 'subject-',
  onChoose,
}: {
  subjects: readonly { _id: string; name: string }[];
  chosenId: string | undefined;
  idPrefix?: string;
  onChoose: (id: string) => void;
}) {
  return (
    <ChipGroup wide>
      {subjects.map((s) => (
        <Chip
          key={s._id}
          id={`${idPrefix}${s._id}`}
          selected={s._id === chosenId}
          onClick={() => onChoose(s._id)}
        >
          {s.name}
        </Chip>
      ))}
    </ChipGroup>
  );
}

/** The user has no subject yet: what that stops, and 登记主体 (the button `id`). */
export function NoSubjectNotice({ id, text }: { id: string; text: string }) {
  return (
    <View className="notice">
      <Text className="notice__text">{text}</Text>
      <BigButton id={id} onClick={() => Taro.redirectTo({ url: '/pages/register/index' })}>
        登记主体
      </BigButton>
    </View>
  );
}
