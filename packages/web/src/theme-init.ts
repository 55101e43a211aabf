// Runs before the page paints (a classic script in <head>) so a remembered theme never flashes.
try {
  const theme = localStorage.getItem('warmshower:theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // storage disabled: the system theme applies
}
