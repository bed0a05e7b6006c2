/** The school's phone absence line: its calls (for the voice webhook) and the recordings staff listen to. */
export { openVoiceCall, recordOnce, schoolForVoiceNumber, updateVoiceCall, type CallSchool, type VoiceCall, type VoiceCallChange } from './calls';
export { voicemailFingerprint, markVoicemailHandled, voicemailRecording, voicemailsToListenTo, type RecordingResult, type Voicemail } from './voicemails';
export { schoolVoiceNumber, setSchoolVoiceNumber, type VoiceNumberResult } from './settings';
export { reportFromVoicemail, voicemailReportPage, type VoicemailReportChoice, type VoicemailReportPage, type VoicemailReportProblem, type VoicemailReportResult } from './voicemail-report';
