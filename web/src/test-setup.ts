import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import i18n from './i18n';

// Component tests read English unless they switch; a test that switches is undone here.
beforeEach(() => i18n.changeLanguage('en'));
afterEach(() => cleanup());
