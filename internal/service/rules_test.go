package service_test

import (
	"testing"

	"tili/internal/store"
	"tili/internal/store/storetest"
)

// The rules of the use cases, each a subtest named after it, called straight on the service without
// HTTP. They share one world per database, because a fresh PostgreSQL database and its migrations
// cost seconds; so each rule makes records of its own, with names no other rule's lists or searches
// match, and sets back any setting it changes.
func TestRules(t *testing.T) {
	t.Parallel()
	rules := []struct {
		name string
		fn   func(t *testing.T, w *world)
	}{
		{"VisibilityFollowsTheMatrix", visibilityFollowsTheMatrix},
		{"SalesHeadSeesTheWholeHierarchyBelow", salesHeadSeesTheWholeHierarchyBelow},
		{"PersonIsSeenAsTheirCompanyOrByTheirOwn", personIsSeenAsTheirCompanyOrByTheirOwn},
		{"SharingSettingsWidenAndNarrowWhatAccountManagersSee", sharingSettingsWidenAndNarrowWhatAccountManagersSee},
		{"TeamSharesReachEveryMember", teamSharesReachEveryMember},
		{"LookalikesNameOnlyVisibleRecords", lookalikesNameOnlyVisibleRecords},
		{"DisabledUserSeesNothing", disabledUserSeesNothing},
		{"ReassignIsForAdminsSalesHeadsAndOwners", reassignIsForAdminsSalesHeadsAndOwners},
		{"ReassignMovesTheTeamToTheNewOwners", reassignMovesTheTeamToTheNewOwners},
		{"ReassignRefusesAStaleVersion", reassignRefusesAStaleVersion},
		{"ReassignRefusesAnOwnerWhoCannotOwn", reassignRefusesAnOwnerWhoCannotOwn},
		{"MergingCompaniesMovesPeopleAndSubsidiaries", mergingCompaniesMovesPeopleAndSubsidiaries},
		{"MergingPeopleJoinsThem", mergingPeopleJoinsThem},
		{"MergeNeedsTheRightToChangeBoth", mergeNeedsTheRightToChangeBoth},
		{"MergePickingHiddenInternalNotesIsForbidden", mergePickingHiddenInternalNotesIsForbidden},
		{"MergingARecordIntoItselfIsRefused", mergingARecordIntoItselfIsRefused},
		{"MergeDoesNotRevealTheDuplicatesHiddenNotes", mergeDoesNotRevealTheDuplicatesHiddenNotes},
		{"RestoreRefusesWhatWasTakenMeanwhile", restoreRefusesWhatWasTakenMeanwhile},
		{"RestoreRefusesAMergedRecord", restoreRefusesAMergedRecord},
		{"ConfidentialNotesAreForOwnerManagersAndAdmins", confidentialNotesAreForOwnerManagersAndAdmins},
		{"ConfidentialNotesCannotBeWrittenByThoseWhoMayNotSeeThem", confidentialNotesCannotBeWrittenByThoseWhoMayNotSeeThem},
		{"RefusedChangesAreAudited", refusedChangesAreAudited},
		{"FailedCompanyMergeWritesNothing", failedCompanyMergeWritesNothing},
		{"FailedPersonMergeWritesNothing", failedPersonMergeWritesNothing},
		{"CreateManyIsAtomicPerBatch", createManyIsAtomicPerBatch},
		{"CreateManyNamesTheRowOfEveryRefusal", createManyNamesTheRowOfEveryRefusal},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		for _, r := range rules {
			t.Run(r.name, func(t *testing.T) { r.fn(t, w) })
		}
	})
}
