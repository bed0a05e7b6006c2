import { describe, expect, it } from 'vitest';
import { parseRosterCsv, parseRosterJson } from '../../src/lib/server/features/register-import/roster/parse';
import { rosterErrorMessages } from '../../src/lib/i18n-staff-problems';

describe('roster files', () => {
	it('recognises the column names of common MIS exports', () => {
		const pupils = 'Unique Pupil Number,Forename,Surname,Known As,Date of Birth,NC Year,Registration Group,Free School Meals,EHCP\nA1,Samuel,Okafor,Sam,2017-03-14,Year 4,4B,Yes,No\n';
		const guardians = 'UPN,Guardian ID,First Name,Last Name,Relation,PR,Resides With,Contact Order,Telephone,E-mail,Home Language\nA1,G1,Grace,Okafor,Mother,No,No,2,+44 20 7946 0311,GRACE@Example.org,Polish\n';
		const r = parseRosterCsv({ pupils, guardians });
		expect(r.errors).toEqual([]);
		expect(r.pupils[0]).toMatchObject({ upn: 'A1', firstName: 'Samuel', preferredName: 'Sam', yearGroup: 4, className: '4B', dateOfBirth: '2017-03-14', flags: { fsm: true } });
		expect(r.guardians[0]).toMatchObject({ contactId: 'G1', parentalResponsibility: false, livesWith: false, contactPriority: 2, phone: '+442079460311', email: 'grace@example.org', preferredLanguage: 'pl' });
	});

	it('reports every bad row with its file and line, and a missing column by its usual name', () => {
		const r = parseRosterCsv({
			pupils: 'UPN,Legal Forename,Legal Surname,Year\nA1,Sam,Okafor,4\nA1,Ava,Okafor,2\n,X,Y,Z\n',
			guardians: 'UPN,Forename,Surname,Mobile\nA1,Grace,Okafor,12\nB9,Tom,Hart,020 7946 0314\n'
		});
		expect(r.errors.map((e) => [e.file, e.row, e.code])).toEqual([
			['pupils', 3, 'upn_repeated'],
			['pupils', 4, 'row_invalid'],
			['guardians', 2, 'row_invalid'],
			['guardians', 3, 'pupil_not_in_file']
		]);
		expect(rosterErrorMessages(r.errors)).toEqual([
			{ file: 'pupils', row: 3, message: 'The UPN A1 is also on row 2' },
			{ file: 'pupils', row: 4, message: expect.stringMatching(/^The UPN is missing; .*"Z" is not a year group/) },
			{ file: 'guardians', row: 2, message: '"12" is not a phone number' },
			{ file: 'guardians', row: 3, message: 'No pupil with UPN B9 is in the pupils file' }
		]);
		expect(rosterErrorMessages(parseRosterCsv({ pupils: 'UPN,Surname\nA1,X\n', guardians: 'UPN,Forename,Surname\n' }).errors)[0]!.message).toContain('firstName (e.g. "legal forename")');
	});

	it('refuses an empty roster (it would mark every pupil as left) and a contact nobody could find again', () => {
		expect(parseRosterCsv({ pupils: 'UPN,Forename,Surname,Year\n', guardians: 'UPN,Forename,Surname\n' }).errors[0]).toEqual({ file: 'pupils', row: 0, code: 'no_pupils_in_file' });
		const r = parseRosterJson({ pupils: [{ upn: 'A1', firstName: 'S', lastName: 'O', yearGroup: 'R' }], guardians: [{ upn: 'A1', firstName: 'G', lastName: 'O' }] });
		expect(r.errors).toEqual([{ file: 'guardians', row: 1, code: 'row_invalid', problems: [{ code: 'contact_unfindable' }] }]);
		expect(rosterErrorMessages(r.errors)).toEqual([{ file: 'guardians', row: 1, message: expect.stringContaining('needs a contact ID, a phone number or an email address') }]);
		expect(parseRosterJson({ pupils: 'x' }).errors[0]!.row).toBe(0);
	});
});
