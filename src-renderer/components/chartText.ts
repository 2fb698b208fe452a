/**
 * recharts measures label text in a hidden span it appends to <body> (`recharts_measurement_span`) and leaves there
 * holding the last word it measured: a street, a rule, an amount. The screen being left takes it along, so the next
 * screen — or the next user after a logout — never has the previous one's text in its page (recharts makes a new span
 * when it next measures).
 */
export function forgetChartText(): void {
  document.getElementById('recharts_measurement_span')?.remove();
}
