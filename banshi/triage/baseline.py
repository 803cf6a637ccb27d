"""The plain baseline the classifier must beat, run in the same folds (`triage-eval --baseline`).

TF-IDF over rjieba word 1–2-grams and character 1–3-grams (sublinear tf, L2), one linear SVM
(one-vs-rest, C=0.5) on title+body text: the usual first try on Chinese appeals, and the
figure the issue quotes (0.922 on the unseen messages). Scikit-learn's vectorizers, no
tuning. `probabilities` is a softmax of the SVM's margins, only so that it fits the same
evaluation code; it is not calibrated.
"""

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from .tokens import Tokenizer

C = 0.5


class BaselineModel:
    """fit / labels / probabilities, like classify.TriageModel."""

    def __init__(self, words: TfidfVectorizer, chars: TfidfVectorizer, svm: LinearSVC):
        self.words, self.chars, self.svm = words, chars, svm
        self.labels = [str(c) for c in svm.classes_]

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], *, seed: int = 0) -> "BaselineModel":
        words = TfidfVectorizer(tokenizer=Tokenizer().cut, token_pattern=None, lowercase=False,
                                ngram_range=(1, 2), sublinear_tf=True)
        chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        X = sp.hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
        return cls(words, chars, LinearSVC(C=C, random_state=seed).fit(X, list(labels)))

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        X = sp.hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr()
        margins = self.svm.decision_function(X)
        if margins.ndim == 1:  # two classes
            margins = np.column_stack([-margins, margins])
        probabilities: np.ndarray = softmax(margins, axis=1)
        return probabilities
