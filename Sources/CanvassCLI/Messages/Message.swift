/// The keys of the message catalogue (`Messages`).
enum Message: String, CaseIterable, Sendable {
    case error, warning
    case interviewStarted, addAnother, answerYesNo, current, defaultValue, typeOK, required, expected
    case expectChoice, expectChoices, expectWhole, expectNumber, expectDate, expectTime, expectDateTime, expectLocation, expectOK, expectText
    case expectTrace, expectShape, expectRank, expectRange, expectCode, hintLocation, hintTrace, hintShape, hintRank, hintFile, hintCode
    case constraintFailed, inputEnded, firstQuestion, cannotSkip, noSuchQuestion, noteNeedsText, noteTooLong, noteSaved
    case savedDraft, keptDraft, unknownCommand, help, notComplete, finalise, completed, quotaFull, quotaShare, quotaCount
    case findingRequired, findingConstraint, findingType, findingRepeatCount, findingNotRelevant, findingOutOfRange, findingBlank
    case progress, helpChoice, helpText, helpFilter, helpCommands, noMatch, reviewTitle, reviewHelp, submit, missing, noAnswer, tooSmall
    case welcomeBody, welcomeStart, thankYou, pinSet, pinTooShort, pinAsk, pinWrong, adminMenu, kioskClosed, needsTerminal
    case keyTitle, keyHelp, blank, carried, confirmNotAChoice, confirmType, confirmConstraint, confirmNotRelevant, endOfPhieu
    case phieuSaved, keyStopped, page
    case verifyTitle, verifyHelp, mismatch, keyAgain, mustVisit, verifyDone, verifyNothing, verifySample, verifyStopped, ownPhieu
    case reportHeader, roleKey, roleVerify, reportEmpty
    case yes, no, adminTitle, listTitle
    case noLanguage, otherForm, notResumable, noKeyedField, countNotInteger
    case mediaNotAFile, mediaTooLarge, mediaUnreadable
}
