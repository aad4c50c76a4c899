import { type PropsWithChildren } from 'react';
import { useChineseMessages } from './domain/locale';
import './app.css';
import './ui/ui.css';

// Zod's own messages (where a schema gives none) read in Chinese, as the server's do.
useChineseMessages();

function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
