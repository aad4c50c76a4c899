import Taro from '@tarojs/taro';
import { BigButton } from '@/ui/Button';

/** The end of a result: one more (`<prefix>-again`), or back to the work list (`<prefix>-to-work`). */
export function NextSteps({
  prefix,
  again,
  onAgain,
}: {
  prefix: string;
  again: string;
  onAgain: () => void;
}) {
  return (
    <>
      <BigButton id={`${prefix}-again`} onClick={onAgain}>
        {again}
      </BigButton>
      <BigButton
        id={`${prefix}-to-work`}
        kind="secondary"
        onClick={() => Taro.redirectTo({ url: '/pages-staff/work/index' })}
      >
        回工作台
      </BigButton>
    </>
  );
}
