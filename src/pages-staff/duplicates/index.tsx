/**
 * 疑似重复 — the directory's 一人多身份 groups on a page of their own (a work list links here).
 * Route: /pages-staff/duplicates/index[?divisionCode=…]. Element ids: see ./groups.tsx.
 */
import { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useRemote } from '@/hooks/useRemote';
import { api } from '@/services/api';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { isDirectoryEditor } from '../directory/model';
import { DuplicateGroups } from './groups';
import '../directory/directory.css';

export default function Duplicates() {
  const { divisionCode } = useRouter().params;
  const { state, reload } = useRemote(() => api.user.me());
  return (
    <View className="page">
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' ? (
        <DuplicateGroups
          divisionCode={divisionCode}
          editable={isDirectoryEditor(state.data.roles)}
        />
      ) : null}
    </View>
  );
}
