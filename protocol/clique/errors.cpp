#include "protocol/clique/errors.hpp"

namespace cl::clique {

const char* name(Error e) {
    switch (e) {
        case Error::kFutureBlock:
            return "ErrFutureBlock";
        case Error::kInvalidCheckpointBeneficiary:
            return "errInvalidCheckpointBeneficiary";
        case Error::kInvalidVote:
            return "errInvalidVote";
        case Error::kInvalidCheckpointVote:
            return "errInvalidCheckpointVote";
        case Error::kMissingVanity:
            return "errMissingVanity";
        case Error::kMissingSignature:
            return "errMissingSignature";
        case Error::kExtraSigners:
            return "errExtraSigners";
        case Error::kInvalidCheckpointSigners:
            return "errInvalidCheckpointSigners";
        case Error::kInvalidMixDigest:
            return "errInvalidMixDigest";
        case Error::kInvalidUncleHash:
            return "errInvalidUncleHash";
        case Error::kInvalidDifficulty:
            return "errInvalidDifficulty";
        case Error::kInvalidGasLimit:
            return "errInvalidGasLimit";
        case Error::kUnknownAncestor:
            return "ErrUnknownAncestor";
        case Error::kInvalidTimestamp:
            return "errInvalidTimestamp";
        case Error::kInvalidGasUsed:
            return "errInvalidGasUsed";
        case Error::kMismatchingCheckpointSigners:
            return "errMismatchingCheckpointSigners";
        case Error::kInvalidSignature:
            return "errInvalidSignature";
        case Error::kUnauthorizedSigner:
            return "errUnauthorizedSigner";
        case Error::kRecentlySigned:
            return "errRecentlySigned";
        case Error::kWrongDifficulty:
            return "errWrongDifficulty";
    }
    return "unknown clique error";
}

}  // namespace cl::clique
