/** The headteacher's decision as a letter (PDF, made with pdf-lib: pure JavaScript, standard fonts). */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { LeaveView } from './requests';

/** Standard PDF fonts cover Latin-1 only: anything else (curly quotes, other scripts) is simplified. */
function latin1(text: string): string {
	return text
		.replace(/[’‘]/g, "'")
		.replace(/[“”]/g, '"')
		.replace(/[–—]/g, '-')
		.replace(/[^\x20-\x7e\xa0-\xff\n]/g, '?');
}

function wrap(text: string, max = 90): string[] {
	const lines: string[] = [];
	for (const para of text.split('\n')) {
		let line = '';
		for (const word of para.split(/\s+/)) {
			if ((line + ' ' + word).trim().length > max) {
				lines.push(line);
				line = word;
			} else line = (line + ' ' + word).trim();
		}
		lines.push(line);
	}
	return lines;
}

export async function leaveDecisionLetter(request: LeaveView, schoolName: string, date: Date = new Date()): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	doc.setTitle(`Leave request ${request.reference}`);
	doc.setCreator('Every Day');
	const page = doc.addPage([595, 842]); // A4
	const font = await doc.embedFont(StandardFonts.Helvetica);
	const bold = await doc.embedFont(StandardFonts.HelveticaBold);
	let y = 790;
	const write = (text: string, f = font, size = 11) => {
		for (const line of wrap(latin1(text))) {
			page.drawText(line, { x: 56, y, size, font: f, color: rgb(0.04, 0.05, 0.05) });
			y -= size + 5;
		}
	};
	write(schoolName, bold, 16);
	y -= 8;
	write(date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' }));
	y -= 10;
	write(`Leave of absence request ${request.reference}`, bold, 13);
	write(`For: ${request.children.map((c) => c.name).join(', ')}`);
	write(`Dates asked for: ${request.dates} (${request.schoolDays} school days)`);
	write(`Reason given: ${request.typeLabel}`);
	y -= 10;
	write(`Decision: ${request.statusLabel}`, bold, 13);
	if (request.approvedDates) write(`Leave agreed for: ${request.approvedDates}`);
	if (request.decisionNote) write(`The headteacher's reason: ${request.decisionNote}`);
	y -= 10;
	if (request.status === 'declined' || request.status === 'partly_approved') {
		write('If a child is kept off on days that were not agreed, those days will be recorded as unauthorised absence (code G). Please talk to the school if anything changes.');
	}
	if (request.status === 'approved' || request.status === 'partly_approved') {
		write('The agreed days will be recorded as authorised leave. Please make sure your child is back in school on the next school day after the leave.');
	}
	y -= 20;
	write('Headteacher', bold);
	write(schoolName);
	return doc.save();
}
