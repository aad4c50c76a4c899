/**
 * 在册不运行 — the directory's dormant subjects on a page of their own (a work list links here).
 * Route: /pages-staff/dormant/index[?divisionCode=…]. Element ids: see ./list.tsx.
 */
import { useRouter } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { useRemote } from '@/hooks/useRemote';
import { api } from '@/services/api';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { isDirectoryEditor } from '../directory/model';
import { DormantList } from './list';
import '../directory/directory.css';

export default function Dormant() {
  const { divisionCode } = useRouter().params;
  const { state, reload } = useRemote(() => api.user.me());
  return (
    <View className="page">
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' ? (
        <DormantList divisionCode={divisionCode} editable={isDirectoryEditor(state.data.roles)} />
      ) : null}
    </View>
  );
}
