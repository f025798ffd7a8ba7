import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './fonts.css';
import './styles.css';
import { DEFAULT_THEME, MantineProvider, createTheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HashRouter } from 'react-router';
import { onChanged } from './api/client';
import { App } from './App';

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 10_000 } },
});
// Another window (or workstation) changed data: refetch what is on screen.
onChanged(() => void queryClient.invalidateQueries());

// Devanagari falls back to the bundled font (fonts.css). It is listed before the generic
// sans-serif so it wins over whatever the system substitutes for that; its unicode-range leaves
// Latin text to the system fonts listed first.
const fontFamily = DEFAULT_THEME.fontFamily.replace('sans-serif', "'Clinic Devanagari', sans-serif");
const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'sm',
  fontFamily,
  headings: { fontFamily },
});

function render() {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <MantineProvider theme={theme}>
        {/* Bottom right: a toast never covers the header, the patient banner or the field being typed in. */}
        <Notifications position="bottom-right" />
        <QueryClientProvider client={queryClient}>
          {/* No transitions: with them the router keeps the previous screen (and its focused search box)
              on view while a screen opened for the first time loads its code, so what the person types
              at once goes into the screen they are leaving and the new screen comes up empty (the
              cashier's lost "Find patient" text). Without them the loader shows until the screen is there. */}
          <HashRouter useTransitions={false}>
            <App />
          </HashRouter>
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}

// Chromium does not redraw an input's placeholder when a web font arrives after it was drawn, so a
// Hindi placeholder ("हिंदी में निर्देश") would stay as empty boxes: load the Devanagari font first.
// It is a local file, so this costs milliseconds; a font that fails or stalls must not keep the app
// from starting, hence the time limit.
void Promise.race([
  document.fonts.load("1em 'Clinic Devanagari'", 'हि').catch(() => undefined),
  new Promise((resolve) => setTimeout(resolve, 1_500)),
]).then(render);
