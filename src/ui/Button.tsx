import { View } from '@tarojs/components';
import type { ReactNode } from 'react';

export interface BigButtonProps {
  id?: string;
  kind?: 'primary' | 'secondary' | 'danger';
  disabled?: boolean;
  className?: string;
  onClick?: () => void;
  children: ReactNode;
}

/**
 * A full-width button at least 112 design px high, for fingers that are not nimble. A View, not
 * Taro's Button: the latter brings platform default styles (H5 greys out any button that has a
 * `disabled` attribute, even "false") that fight the large-type look. Disabled: class
 * `ui-button--disabled`, taps ignored.
 */
export function BigButton({
  id,
  kind = 'primary',
  disabled,
  className,
  onClick,
  children,
}: BigButtonProps) {
  return (
    <View
      id={id}
      className={`ui-button ui-button--${kind}${disabled ? ' ui-button--disabled' : ''}${
        className ? ` ${className}` : ''
      }`}
      hoverClass={disabled ? 'none' : 'ui-button--pressed'}
      ariaRole="button"
      onClick={disabled ? undefined : onClick}
    >
      {children}
    </View>
  );
}
