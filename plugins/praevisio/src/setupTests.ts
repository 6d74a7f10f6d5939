import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Rendering the tabs with userEvent in jsdom takes seconds on a loaded
// 2-core CI machine; the defaults (5 s per test, 1 s per findBy) made a few
// tests time out there without anything being wrong. Missing elements still
// fail, only later.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 5_000 });
